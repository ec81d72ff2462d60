// Emergency numbers (911, 112, 999…): this softphone cannot place them, and both the extension and the Voice URL say so in the same words.

/** What the agent is told, and what the Voice URL's <Say> speaks, when an emergency number is dialled. */
export const EMERGENCY_CALL_MESSAGE = 'Emergency calls are not supported from this softphone; use a phone.';

/**
 * Short codes that reach emergency services somewhere (ITU-T E.161.1 and national plans): North America, the EU,
 * the UK, Australia, New Zealand, Japan, China, India, Brazil, France, South Africa, Singapore; 988 is the US and
 * Canadian crisis line. A VoIP call cannot carry a caller's location to a dispatcher, so none of them is dialled.
 */
const EMERGENCY_NUMBERS: readonly string[] = [
  '911', '112', '999', '000', '110', '119', '118', '100', '101', '102', '108', '15', '17', '18', '190', '192', '193',
  '111', '995', '10111', '988', '933',
];

const EMERGENCY = new Set(EMERGENCY_NUMBERS);

/**
 * Whether what was dialled is an emergency number: the digits alone (spaces, dashes, dots and brackets ignored), also
 * behind a + or a NANP trunk 1 ("1-911", "+1 911"). Full-length numbers are never emergency numbers here.
 */
export function isEmergencyNumber(input: string): boolean {
  const text = input.normalize('NFKC').trim();
  if (!/^\+?[\d\s().-]{1,20}$/.test(text)) return false;
  const digits = text.replace(/\D/g, '');
  return EMERGENCY.has(digits) || (digits.startsWith('1') && EMERGENCY.has(digits.slice(1)));
}
