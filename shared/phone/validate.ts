// Decides whether a run of digits is a callable number (libphonenumber-js max metadata), with a NANP fast path and a bounded cache.
import { parsePhoneNumberFromString, getCountryCallingCode, type CountryCode } from 'libphonenumber-js/max';
import { Metadata, PhoneNumber } from 'libphonenumber-js/core';
import metadata from 'libphonenumber-js/metadata.max.json';

/**
 * libphonenumber-js's PhoneNumber also takes (country, nationalNumber, metadata); its typings only declare the
 * E.164 form. Building the number directly skips text extraction, which is three quarters of the cost of a parse.
 */
const PhoneNumberFromParts = PhoneNumber as unknown as new (
  countryOrCallingCode: string,
  nationalNumber: string,
  metadataJson: typeof metadata,
) => PhoneNumber;

const CACHE_LIMIT = 20_000;
const cache = new Map<string, string | null>();

/** Forgets every remembered answer (benchmarks call this so that each run measures cold validation). */
export function clearValidationCache(): void {
  cache.clear();
}

const callingCodes = new Map<string, string>();
/** The country calling code of a region, e.g. "1" for US, "44" for GB. */
export function callingCodeOf(country: CountryCode): string {
  let code = callingCodes.get(country);
  if (code === undefined) {
    code = getCountryCallingCode(country);
    callingCodes.set(country, code);
  }
  return code;
}

function remember(key: string, value: string | null): string | null {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** The runtime shape of libphonenumber-js's Metadata (its typings only declare selectNumberingPlan). */
interface RuntimeMetadata {
  selectNumberingPlan(country: string): void;
  nationalNumberPattern(): string;
  hasTypes(): boolean;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

/** The number types libphonenumber-js's getNumberType tries; a number is valid when it is one of them. */
const NUMBER_TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

interface CompiledRegion {
  national: RegExp;
  types: { pattern: RegExp; lengths: readonly number[] | undefined }[];
}

const compiledRegions = new Map<string, CompiledRegion | null>();

/**
 * The region's validity rules from libphonenumber-js's max metadata, compiled once: isValid() builds the same
 * regular expressions from the same metadata on every call, which is most of its cost.
 */
function compiledRegion(country: string): CompiledRegion | null {
  let compiled = compiledRegions.get(country);
  if (compiled !== undefined) return compiled;
  const m = new Metadata(metadata) as unknown as RuntimeMetadata;
  m.selectNumberingPlan(country);
  compiled = null;
  if (m.hasTypes()) {
    const types: CompiledRegion['types'] = [];
    for (const name of NUMBER_TYPES) {
      const t = m.type(name);
      const pattern = t?.pattern();
      if (t && pattern) types.push({ pattern: new RegExp(`^(?:${pattern})$`), lengths: t.possibleLengths() });
    }
    compiled = { national: new RegExp(`^(?:${m.nationalNumberPattern()})$`), types };
  }
  compiledRegions.set(country, compiled);
  return compiled;
}

/** Same answer as libphonenumber-js's isValid() for a national number of `country` (checked by validate.test.ts). */
export function isValidNationalNumber(national: string, country: CountryCode): boolean {
  const region = compiledRegion(country);
  if (region === null) return new PhoneNumberFromParts(country, national, metadata).isValid();
  if (!region.national.test(national)) return false;
  for (const t of region.types) {
    if (t.lengths && !t.lengths.includes(national.length)) continue;
    if (t.pattern.test(national)) return true;
  }
  return false;
}

function validNanp(national: string, country: CountryCode): string | null {
  // Most numbers belong to the default region; its precompiled patterns settle them.
  if (isValidNationalNumber(national, country)) return `+1${national}`;
  // Other NANP regions (CA, the Caribbean…) share +1: let the full parser pick the region.
  const parsed = parsePhoneNumberFromString(`+1${national}`);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/**
 * Returns the E.164 form of `digits` if it is a valid number, else null.
 * `international` says the digits start with a country calling code (written after + or an exit code);
 * otherwise they are read as a national number of `country`.
 */
export function validateDigits(digits: string, international: boolean, country: CountryCode): string | null {
  const key = `${international ? '+' : country}${digits}`;
  const known = cache.get(key);
  if (known !== undefined) return known;

  if (international) {
    if (digits.length < 8 || digits.length > 15 || digits[0] === '0') return remember(key, null);
    if (digits[0] === '1') return remember(key, digits.length === 11 ? validNanp(digits.slice(1), 'US') : null);
    const parsed = parsePhoneNumberFromString(`+${digits}`);
    return remember(key, parsed && parsed.isValid() ? parsed.number : null);
  }

  if (callingCodeOf(country) === '1') {
    if (digits.length === 11 && digits[0] === '1') return remember(key, validNanp(digits.slice(1), country));
    if (digits.length === 10) return remember(key, validNanp(digits, country));
    return remember(key, null);
  }
  if (digits.length < 5 || digits.length > 15) return remember(key, null);
  const parsed = parsePhoneNumberFromString(digits, country);
  return remember(key, parsed && parsed.isValid() ? parsed.number : null);
}
