// "Call from": the organization's number an agent chose to call from, and the optional local-presence rule that picks
// the organization's number in the callee's area code (North America) or country instead. The backend checks the result.
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { z } from 'zod';

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/);

export const callFromChoiceSchema = z.object({
  /** The chosen number; null for the organization's default. */
  number: e164.nullable(),
  localPresence: z.boolean(),
  /** The organization's numbers as last listed (for local presence). */
  numbers: z.array(e164).max(500),
});
export type CallFromChoice = z.infer<typeof callFromChoiceSchema>;

export const CALL_FROM_STORAGE_KEY = 'c2c:call-from';

/** The caller id to ask for when calling `to` (E.164); null lets the backend use the organization's default. */
export function pickCallFrom(to: string, choice: CallFromChoice | null): string | null {
  if (!choice) return null;
  if (choice.localPresence) {
    const area = (n: string) => (n.startsWith('+1') && n.length === 12 ? n.slice(0, 5) : null);
    const sameArea = area(to) ? choice.numbers.find((n) => area(n) === area(to)) : undefined;
    if (sameArea) return sameArea;
    const country = parsePhoneNumberFromString(to)?.country;
    const sameCountry = country ? choice.numbers.find((n) => parsePhoneNumberFromString(n)?.country === country) : undefined;
    if (sameCountry) return sameCountry;
  }
  return choice.number;
}
