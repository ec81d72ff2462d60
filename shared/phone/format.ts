// Formats an E.164 number for people: national format in the agent's own country, international everywhere else.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** "(415) 555-0132" for a US number read by a US agent, "+44 20 7946 0100" for a UK one; the input itself if unparseable. */
export function formatForPeople(e164: string, defaultCountry: string = 'US'): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === (defaultCountry as CountryCode) ? parsed.formatNational() : parsed.formatInternational();
}
