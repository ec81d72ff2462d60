// Which destinations an organization may call (allowed countries, refused number types and ranges): one rule for the
// backend's toll-fraud guard and for the extension, which shows refused numbers as not callable before any click.
import type { NumberType } from 'libphonenumber-js/max';
import { z } from 'zod';

/** A range of E.164 numbers refused by default because calling it costs more than a normal call, or an unknown amount. */
export interface BlockedRange {
  id: string;
  pattern: RegExp;
  words: string;
  /** For a BLOCKED_NUMBER_PREFIXES range: the prefix it was made from (sent to the extension instead of the pattern). */
  prefix?: string;
}

/**
 * NANP ranges that libphonenumber types as ordinary numbers but that bill the caller extra (the FCC and CNAC numbering
 * plans): 976 exchanges in any area code (the old pay-per-call "976" lines, still tariffed by some carriers), the
 * 5XX personal communications service codes (forwarded anywhere, often abroad), 867 (Yukon, Northwest Territories and
 * Nunavut: high termination rates, a classic target of traffic pumping) and 600 (Canadian non-geographic services:
 * satellite and data numbers at the carrier's price). Any of them can be allowed again with ALLOW_NUMBER_RANGES.
 */
export const DEFAULT_BLOCKED_RANGES: readonly BlockedRange[] = [
  { id: 'nanp-976', pattern: /^\+1[2-9]\d{2}976\d{4}$/, words: 'a 976 exchange, which may bill the caller per minute' },
  {
    id: 'nanp-personal',
    pattern: /^\+15(?:00|2[1-9]|3[235]|38|4[2-79]|5[02-468]|6[69]|7[78]|8[89])\d{7}$/,
    words: 'a 5XX personal communications number, which may forward anywhere at any price',
  },
  { id: 'ca-high-cost', pattern: /^\+1867\d{7}$/, words: 'a high-cost northern Canada range (867)' },
  { id: 'ca-non-geographic', pattern: /^\+1600\d{7}$/, words: 'a Canadian non-geographic range (600)' },
];

/** A range made from an E.164 prefix the server is set to refuse. */
function prefixRange(prefix: string): BlockedRange {
  return { id: 'blocked-prefix', prefix, pattern: new RegExp(`^\\${prefix}\\d*$`), words: `numbers starting ${prefix}, which this server is set to refuse` };
}

/** The default ranges without the ones ALLOW_NUMBER_RANGES names, plus BLOCKED_NUMBER_PREFIXES (E.164 prefixes) as ranges. */
export function blockedRanges(allow: readonly string[], extraPrefixes: readonly string[]): BlockedRange[] {
  return [...DEFAULT_BLOCKED_RANGES.filter((r) => !allow.includes(r.id)), ...extraPrefixes.map(prefixRange)];
}

/** The ranges as /api/config sends them: the defaults by id, the prefixes as prefixes (no pattern crosses the wire). */
export const blockedRangesWireSchema = z
  .array(z.object({ id: z.string().min(1).max(40), prefix: z.string().regex(/^\+\d{1,14}$/).optional() }))
  .max(200);
export type BlockedRangesWire = z.infer<typeof blockedRangesWireSchema>;

export function rangesToWire(ranges: readonly BlockedRange[]): BlockedRangesWire {
  return ranges.map((r) => (r.prefix ? { id: r.id, prefix: r.prefix } : { id: r.id }));
}

/** The ranges back from the wire; an id this version does not know is left out (the backend still refuses it). */
export function rangesFromWire(wire: BlockedRangesWire): BlockedRange[] {
  const out: BlockedRange[] = [];
  for (const w of wire) {
    if (w.prefix) out.push(prefixRange(w.prefix));
    else {
      const known = DEFAULT_BLOCKED_RANGES.find((r) => r.id === w.id);
      if (known) out.push(known);
    }
  }
  return out;
}

export interface DestinationPolicy {
  allowedCountries: readonly string[];
  blockedRanges: readonly BlockedRange[];
}

/** The number as parsed (normalize.ts): its E.164 form, country and type. */
export interface ParsedDestination {
  e164: string;
  country: string | undefined;
  type: NumberType;
}

export type DestinationVerdict =
  | { ok: true }
  | { ok: false; code: 'country-not-allowed'; country: string | undefined }
  | { ok: false; code: string; range: BlockedRange }
  | { ok: false; code: 'premium-number' | 'shared-cost-number' | 'personal-number' | 'unknown-number-type'; words: string };

/** Number types that cost the caller more than a normal call, or whose cost cannot be known. */
const REFUSED_TYPES: Record<string, { code: 'premium-number' | 'shared-cost-number' | 'personal-number'; words: string }> = {
  PREMIUM_RATE: { code: 'premium-number', words: 'is a premium-rate number' },
  SHARED_COST: { code: 'shared-cost-number', words: 'is a shared-cost number' },
  // Personal numbers follow the person anywhere (a forward abroad is billed to the caller).
  PERSONAL_NUMBER: { code: 'personal-number', words: 'is a personal number, which may forward anywhere at any price' },
};
const UNKNOWN_TYPE = { code: 'unknown-number-type', words: 'is of an unknown type, so its cost cannot be known' } as const;

/** Whether the policy lets this (valid) number be called: country first, then the ranges, then the number's type. */
export function checkDestination(n: ParsedDestination, policy: DestinationPolicy): DestinationVerdict {
  if (!n.country || !policy.allowedCountries.includes(n.country)) return { ok: false, code: 'country-not-allowed', country: n.country };
  // The ranges first: they name the reason more exactly than the number's type does.
  const range = policy.blockedRanges.find((r) => r.pattern.test(n.e164));
  if (range) return { ok: false, code: range.id, range };
  const refused = n.type === undefined ? UNKNOWN_TYPE : REFUSED_TYPES[n.type];
  return refused ? { ok: false, code: refused.code, words: refused.words } : { ok: true };
}

/** Country names read with "the" before them in English. */
const WITH_THE = new Set(['GB', 'US', 'NL', 'PH', 'AE', 'BS', 'GM', 'DO', 'CF', 'KM', 'MV', 'MH', 'SB', 'CD', 'CG', 'VA', 'KY', 'VG', 'VI', 'TC', 'FK', 'FO', 'CK']);

export function countryName(code: string | undefined): string {
  if (!code) return 'that destination';
  let name = code;
  try {
    name = new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    // An engine without DisplayNames: the code reads well enough.
  }
  return WITH_THE.has(code) ? `the ${name}` : name;
}

/** What the agent reads on a number they may not call, before clicking (the chip, the popup's list). */
export function notCallableSentence(verdict: DestinationVerdict): string | null {
  if (verdict.ok) return null;
  if ('country' in verdict) return `Calls to ${countryName(verdict.country)} are not allowed for your team.`;
  if ('range' in verdict) {
    if (verdict.range.prefix) return `Numbers starting ${verdict.range.prefix} are not allowed for your team.`;
    return `This number is ${verdict.range.words}: calls to it are not allowed for your team.`;
  }
  return `This number ${verdict.words}: calls to it are not allowed for your team.`;
}
