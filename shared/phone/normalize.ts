// Turns what a person or a page wrote into an E.164 number, or says in words why it cannot be called.
import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';

export type NormalizeResult =
  | { ok: true; e164: string; country: CountryCode | undefined; type: NumberType; extension: string | undefined }
  | { ok: false; code: 'empty' | 'invalid' | 'too-long'; message: string };

const MAX_INPUT = 64;

/**
 * Normalizes a dialable string to E.164. National formats are read in `defaultCountry`
 * (xxx-xxx-xxxx, (xxx) xxx-xxxx, xxxxxxxxxx and +1xxxxxxxxxx all work for US);
 * a leading `+` or `00` marks an international number.
 */
export function toE164(input: string, defaultCountry: string = 'US'): NormalizeResult {
  const text = input.normalize('NFKC').trim();
  if (text === '') return { ok: false, code: 'empty', message: 'Enter a phone number to call.' };
  if (text.length > MAX_INPUT) {
    return { ok: false, code: 'too-long', message: `That is not a phone number: it is longer than ${MAX_INPUT} characters.` };
  }
  const international = text.replace(/^00(?=[1-9])/, '+');
  const parsed = parsePhoneNumberFromString(international, defaultCountry as CountryCode);
  // isValid() works the type out itself (valid = has a type, where the metadata has types), so the type is asked once
  // and isValid() only when there is none: the same answers for half the matching, the Voice URL's largest check.
  const type = parsed?.getType();
  if (!parsed || (type === undefined && !parsed.isValid())) {
    return {
      ok: false,
      code: 'invalid',
      message: `"${text}" is not a valid phone number${international.startsWith('+') ? '' : ` in ${defaultCountry}`}. Use a format such as (415) 555-0100 or +14155550100.`,
    };
  }
  return {
    ok: true,
    e164: parsed.number,
    country: parsed.country,
    type,
    extension: parsed.ext,
  };
}
