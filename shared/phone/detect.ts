// Finds the callable phone numbers in plain text: a fast digit-run pre-filter, look-alike rules, then libphonenumber-js validity.
import type { CountryCode } from 'libphonenumber-js/max';
import { amountContext, gluedAfter, gluedBefore, labelledAsIdentifier, lookAlikeRun, markDateGroups, type DigitGroup } from './look-alikes.js';
import { foldText } from './fold-text.js';
import { callingCodeOf, validateDigits } from './validate.js';

export interface PhoneMatch {
  /** Offset of the first character of the number (its "+" or "(" included) in the text. */
  start: number;
  /** Offset just past the number, its extension included. */
  end: number;
  e164: string;
  /** The number as written on the page. */
  text: string;
  /** Digits to send after the call is answered (x204, ext. 12). */
  extension?: string;
}

export interface DetectOptions {
  /** Region used to read numbers written without a country code. */
  defaultCountry?: CountryCode;
}

/**
 * The pre-filter: a run of at least 7 characters that starts with a digit (or "+" / "(") and ends with a digit,
 * made only of digits and the separators people put in phone numbers. Text without such a run costs one regex scan.
 */
const RUN = /[+(]?\d[\d \u00a0().\-/\u2010-\u2013]{5,}\d/g;

/** Separators that can sit between two groups of one number: "", " ", "-", ".", "/", ") ", " (", " - ". */
const INNER_SEPARATOR = /^\)?[ \u00a0]?(?:[-./\u2010-\u2013][ \u00a0]?)?\(?$/;

/** An extension right after a number: "x204", " ext. 12", ", extension 7". */
const EXTENSION = /[ \u00a0]*,?[ \u00a0]*(?:ext(?:ension|n)?\.?|x)[ \u00a0]*[.:]?[ \u00a0]*(\d{1,7})(?!\d)/iy;

/** Group digit lengths a person writes a NANP number in (after any "+"). */
const NANP_SHAPES = new Set(['10', '11', '3,3,4', '3,7', '1,3,3,4', '1,3,7', '1,10', '3,3,1,3']);
const MAX_GROUPS_PER_NUMBER = 8;

function splitGroups(text: string, runStart: number, runEnd: number): DigitGroup[] {
  const groups: DigitGroup[] = [];
  let sep = '';
  let i = runStart;
  while (i < runEnd) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      const start = i;
      while (i < runEnd && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      groups.push({ digits: text.slice(start, i), start, end: i, sepBefore: sep });
      sep = '';
    } else {
      sep += text[i];
      i++;
    }
  }
  return groups;
}

function shapeOf(groups: readonly DigitGroup[], from: number, to: number): string {
  let shape = '';
  for (let k = from; k <= to; k++) shape += (k === from ? '' : ',') + groups[k]!.digits.length;
  return shape;
}

interface RunResult {
  matches: PhoneMatch[];
  /** Where scanning should resume (past any extension that was consumed). */
  resumeAt: number;
}

function numbersInRun(text: string, runStart: number, runEnd: number, country: CountryCode, nanp: boolean): RunResult {
  const found: PhoneMatch[] = [];
  let resumeAt = runEnd;
  const groups = splitGroups(text, runStart, runEnd);
  if (groups.length === 0 || lookAlikeRun(text, groups)) return { matches: found, resumeAt };
  const n = groups.length;
  const blocked = new Array<boolean>(n).fill(false);
  markDateGroups(groups, blocked);
  const first = groups[0]!;
  const last = groups[n - 1]!;
  if (gluedBefore(text, first.start)) blocked[0] = true;
  if (gluedAfter(text, last.end) && !EXTENSION_AT(text, last.end)) blocked[n - 1] = true;
  const plus = first.sepBefore.includes('+');
  // Two numbers joined by "--" with no space ("650-253-4561--455-234-3451") read as one token: neither is offered.
  for (let k = 1; k < n; k++) {
    const sep = groups[k]!.sepBefore;
    if (sep.includes('--') && !sep.includes(' ') && !sep.includes('\u00a0')) blocked[k - 1] = blocked[k] = true;
  }

  let i = 0;
  while (i < n) {
    if (blocked[i]) {
      i++;
      continue;
    }
    // Furthest group a number starting at i may reach.
    let maxJ = i;
    let digitCount = groups[i]!.digits.length;
    while (
      maxJ + 1 < n &&
      maxJ + 1 - i < MAX_GROUPS_PER_NUMBER &&
      !blocked[maxJ + 1] &&
      INNER_SEPARATOR.test(groups[maxJ + 1]!.sepBefore) &&
      digitCount + groups[maxJ + 1]!.digits.length <= 17
    ) {
      maxJ++;
      digitCount += groups[maxJ]!.digits.length;
    }
    let matched = -1;
    for (let j = maxJ; j >= i; j--) {
      const e164 = tryGroups(text, groups, i, j, i === 0 && plus, country, nanp);
      if (e164 === null) continue;
      const match = buildMatch(text, groups, i, j, e164, i === 0 && plus);
      if (match === null) continue;
      found.push(match);
      if (match.end > resumeAt) resumeAt = match.end;
      matched = j;
      break;
    }
    if (matched >= 0) i = matched + 1;
    // The groups right after a "+" that did not make a number are its country code: never read them as national.
    else i = i === 0 && plus ? 2 : i + 1;
  }
  return { matches: found, resumeAt };
}

function EXTENSION_AT(text: string, at: number): boolean {
  EXTENSION.lastIndex = at;
  return EXTENSION.test(text);
}

function tryGroups(
  text: string,
  groups: readonly DigitGroup[],
  i: number,
  j: number,
  plus: boolean,
  country: CountryCode,
  nanp: boolean,
): string | null {
  let digits = '';
  for (let k = i; k <= j; k++) digits += groups[k]!.digits;
  if (digits.length < 7 || digits.length > 17) return null;
  let international = plus;
  if (!international) {
    if (digits.startsWith('00') && digits[2] !== '0') {
      international = true;
      digits = digits.slice(2);
    } else if (nanp && digits.startsWith('011') && digits.length > 11) {
      international = true;
      digits = digits.slice(3);
    }
  }
  if (nanp && !international) {
    if (!(digits.length === 10 || (digits.length === 11 && digits[0] === '1'))) return null;
    if (!NANP_SHAPES.has(shapeOf(groups, i, j))) return null;
  }
  if (international && digits[0] === '1' && !NANP_SHAPES.has(shapeOf(groups, i, j))) return null;
  const start = groups[i]!.start;
  const end = groups[j]!.end;
  // Validity first: it is cached and settles most combinations of groups; the context rules only for valid numbers.
  const e164 = validateDigits(digits, international, country);
  if (e164 === null) return null;
  if (labelledAsIdentifier(text, numberStart(text, groups, i, plus))) return null;
  if (amountContext(text, start, end)) return null;
  return e164;
}

/** Offset where the written number begins: its "+" or "(" included. */
function numberStart(text: string, groups: readonly DigitGroup[], i: number, plus: boolean): number {
  let start = groups[i]!.start;
  const sep = groups[i]!.sepBefore;
  if (plus || sep.endsWith('(')) {
    const idx = text.lastIndexOf(plus ? '+' : '(', start);
    if (idx >= 0 && start - idx <= 2) start = idx;
  }
  return start;
}

function buildMatch(text: string, groups: readonly DigitGroup[], i: number, j: number, e164: string, plus: boolean): PhoneMatch | null {
  return matchWithExtension(text, numberStart(text, groups, i, plus), groups[j]!.end, e164, j === groups.length - 1);
}

/**
 * The match of a number written in text[start, digitsEnd), with the extension written after it. Null when the number
 * ends its run (`endsRun`) and something is glued right after it.
 */
function matchWithExtension(text: string, start: number, digitsEnd: number, e164: string, endsRun: boolean): PhoneMatch | null {
  let end = digitsEnd;
  let extension: string | undefined;
  EXTENSION.lastIndex = end;
  const ext = EXTENSION.exec(text);
  if (ext && ext[1] !== undefined && !gluedAfter(text, EXTENSION.lastIndex)) {
    extension = ext[1];
    end = EXTENSION.lastIndex;
  } else if (endsRun && gluedAfter(text, end)) {
    return null;
  }
  const match: PhoneMatch = { start, end, e164, text: text.slice(start, end) };
  if (extension !== undefined) match.extension = extension;
  return match;
}

/** The common ways a NANP number is written: "(212) 555-0100", "212.555.0100", "1-212-555-0100", "+1 (212) 555-0100". */
const COMMON_NANP = '(?:\\+?1[ .-])?(?:\\(\\d{3}\\) ?|\\d{3}[ .-])\\d{3}[ .-]\\d{4}';
/** A digit run that is one such number. */
const NANP_RUN = new RegExp(COMMON_NANP, 'y');

/** The ASCII digits of text[from, to), and where the first one is. */
function digitsOf(text: string, from: number, to: number): { digits: string; first: number } {
  let digits = '';
  let first = -1;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c >= 48 && c <= 57) {
      if (first < 0) first = k;
      digits += text[k];
    }
  }
  return { digits, first };
}

/**
 * The number of a run that is one NANP number written a common way, when every rule lets it through: prose and
 * contact fields hold mostly such runs ("call (212) 555-0100."). numbersInRun reads them the same way (their groups
 * are no date, card, IP or IBAN and join by allowed separators), at the cost of its group, shape and look-alike work.
 * Null whenever a rule objects (glue, label, amount, a glued extension, invalid): numbersInRun then decides, as before.
 */
function commonNanpRun(text: string, runStart: number, runEnd: number, country: CountryCode): RunResult | null {
  const length = runEnd - runStart;
  if (length < 12 || length > 17) return null;
  NANP_RUN.lastIndex = runStart;
  if (!NANP_RUN.test(text) || NANP_RUN.lastIndex !== runEnd) return null;
  const { digits, first: firstDigit } = digitsOf(text, runStart, runEnd);
  if (gluedBefore(text, firstDigit)) return null;
  if (gluedAfter(text, runEnd) && !EXTENSION_AT(text, runEnd)) return null;
  const e164 = validateDigits(digits, text.charCodeAt(runStart) === 43, country);
  // The number starts at its "+" or "(", which is the run's first character when it has one.
  if (e164 === null || labelledAsIdentifier(text, runStart) || amountContext(text, firstDigit, runEnd)) return null;
  const match = matchWithExtension(text, runStart, runEnd, e164, true);
  return match === null ? null : { matches: [match], resumeAt: match.end };
}

/** Keypad digits of the letters A–Z (ABC → 2 … WXYZ → 9). */
const KEYPAD = '22233344455566677778889999';

/**
 * A NANP vanity number: an optional 1, an area code, then seven keypad characters in capitals with at least one letter
 * ("1-888-FIX-PIPE", "1-800-FLOWERS"). Only capitals: "212 Gotham" is prose.
 */
const VANITY = /([2-9]\d\d)\)?[-. \u00a0]([A-Z0-9]{3})[-. \u00a0]?([A-Z0-9]{4})/g;
/** What may be written before the area code: "1-", "+1 ", "(" , "1 (". */
const VANITY_PREFIX = /(?:\+?1[-. \u00a0]\(?|\()$/;
/** What may not touch a vanity number on either side (checked apart: a Unicode-aware lookbehind made the scan slow). */
const VANITY_NEIGHBOUR = /[\p{L}\p{N}_]/u;

function vanityNumbers(text: string, country: CountryCode, found: PhoneMatch[]): void {
  VANITY.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = VANITY.exec(text)) !== null) {
    const prefix = VANITY_PREFIX.exec(text.slice(Math.max(0, m.index - 4), m.index));
    const start = m.index - (prefix ? prefix[0].length : 0);
    // An area code written "(212 " needs its ")".
    if (prefix && prefix[0].endsWith('(') !== m[0].slice(3).startsWith(')')) continue;
    const before = text[start - 1];
    if (before !== undefined && (VANITY_NEIGHBOUR.test(before) || '@./-'.includes(before))) continue;
    const end = m.index + m[0].length;
    const after = text[end];
    if (after !== undefined && (VANITY_NEIGHBOUR.test(after) || (after === '-' && VANITY_NEIGHBOUR.test(text[end + 1] ?? ' ')))) continue;
    const letters = m[2]! + m[3]!;
    if (!/[A-Z]/.test(letters)) continue;
    let digits = m[1]!;
    for (let k = 0; k < letters.length; k++) {
      const c = letters.charCodeAt(k);
      digits += c >= 65 ? KEYPAD[c - 65]! : letters[k]!;
    }
    if (labelledAsIdentifier(text, start)) continue;
    const e164 = validateDigits(digits, false, country);
    if (e164 !== null) found.push({ start, end, e164, text: text.slice(start, end) });
  }
}

/**
 * A text that is one NANP number written the common ways and nothing else ("(212) 555-0100", "212.555.0100",
 * "1-212-555-0100", "+1 212 555 0100"): a table cell, a contact field. The general path would read it the same way
 * (no label, glue, date or amount can be around it); this one skips the run, group and context work.
 */
const WHOLE_NANP = new RegExp(`^${COMMON_NANP}$`);

function wholeNanpNumber(text: string, country: CountryCode): PhoneMatch | null {
  if (text.length < 12 || text.length > 17 || !WHOLE_NANP.test(text)) return null;
  const { digits } = digitsOf(text, 0, text.length);
  const e164 = validateDigits(digits, text.charCodeAt(0) === 43, country);
  return e164 === null ? null : { start: 0, end: text.length, e164, text };
}

/**
 * Where a vanity number may begin: VANITY's shape, with a capital among its seven keypad characters (it says when
 * vanityNumbers must run). With its lookahead, at most 13 characters long.
 */
const VANITY_HINT_SOURCE =
  '[2-9]\\d\\d\\)?[-. \\u00a0](?=[A-Z0-9]{3}[-. \\u00a0]?[A-Z0-9]{4})(?:[A-Z0-9]{0,2}[A-Z]|[A-Z0-9]{3}[-. \\u00a0]?[A-Z0-9]{0,3}[A-Z])';
const VANITY_HINT = new RegExp(VANITY_HINT_SOURCE);
const VANITY_HINT_LENGTH = 13;

/**
 * The one scan of a text: prose is mostly letters, and each whole-text scan was most of its cost (three of them: the
 * folding check, the digit runs, the capitals). The branches, tried in this order at each position: a digit run (RUN),
 * a possible vanity number (VANITY_HINT, only where no run starts: vanityMayStartIn covers the positions inside runs),
 * a character that may need folding (foldText's first check; no run or hint starts with one).
 */
const SCAN_FOLD = new RegExp(`(${RUN.source})|(${VANITY_HINT_SOURCE})|[\\u00ad\\u0660-\\uffff]`, 'g');
/** The same scan once folding is settled (the text was folded, or needs none). */
const SCAN_FOLDED = new RegExp(`(${RUN.source})|(${VANITY_HINT_SOURCE})`, 'g');

/**
 * Whether a vanity number may start inside [from, to) of a digit run just read (the scan does not try VANITY_HINT inside
 * a run it matched): one would need a capital within 13 characters past `to`, reached through keypad characters only.
 */
function vanityMayStartIn(text: string, from: number, to: number): boolean {
  const limit = Math.min(text.length, to + VANITY_HINT_LENGTH);
  let separatorBefore = false;
  for (let k = to; k < limit; k++) {
    const c = text.charCodeAt(k);
    if (c >= 65 && c <= 90) return VANITY_HINT.test(text.slice(from, limit));
    // The separators " ", ".", "-", no-break space: never two in a row in a vanity number ("0100. The" is prose).
    const separator = c === 32 || c === 46 || c === 45 || c === 0xa0;
    if (separator && separatorBefore) return false;
    separatorBefore = separator;
    // Else digits and ")".
    if (!separator && !((c >= 48 && c <= 57) || c === 41)) return false;
  }
  return false;
}

/** Returns every callable number in `text`, in order, with offsets into `text`. */
export function detectPhoneNumbers(text: string, options: DetectOptions = {}): PhoneMatch[] {
  const country = options.defaultCountry ?? 'US';
  const nanp = callingCodeOf(country) === '1';
  if (nanp) {
    const whole = wholeNanpNumber(text, country);
    if (whole) return [whole];
  }
  let source = text;
  // Full-width, Arabic-Indic and other digits, Unicode spaces and invisible characters are folded once, when the scan
  // meets the first character that may need it (the text before it is the same folded or not).
  let map: Int32Array | null = null;
  let scan = SCAN_FOLD;
  let matches: PhoneMatch[] = [];
  let mayHoldVanity = false;
  scan.lastIndex = 0;
  let hit: RegExpExecArray | null;
  while ((hit = scan.exec(source)) !== null) {
    const runStart = hit.index;
    if (hit[1] === undefined) {
      if (hit[2] !== undefined) {
        mayHoldVanity = true;
        // A hint is no run: the scan goes on from the next character, so no run or hint inside it is missed.
        scan.lastIndex = runStart + 1;
        continue;
      }
      const folded = foldText(text);
      scan = SCAN_FOLDED;
      if (folded.map === null) {
        scan.lastIndex = runStart + 1;
        continue;
      }
      // Folding changes what is around the runs found so far: start again on the folded text.
      source = folded.text;
      map = folded.map;
      matches = [];
      mayHoldVanity = false;
      scan.lastIndex = 0;
      continue;
    }
    const runEnd = runStart + hit[0].length;
    // Fewer than 7 digits cannot be a number: most runs (dates, amounts) stop here.
    let digitCount = 0;
    for (let k = runStart; k < runEnd; k++) {
      const c = source.charCodeAt(k);
      if (c >= 48 && c <= 57) digitCount++;
    }
    if (digitCount >= 7 && !isoDateRun(source, runStart, runEnd)) {
      const common = nanp ? commonNanpRun(source, runStart, runEnd, country) : null;
      const { matches: found, resumeAt } = common ?? numbersInRun(source, runStart, runEnd, country, nanp);
      for (const m of found) matches.push(m);
      if (resumeAt > scan.lastIndex) scan.lastIndex = resumeAt;
    }
    if (nanp && !mayHoldVanity && vanityMayStartIn(source, runStart, scan.lastIndex)) mayHoldVanity = true;
  }
  if (nanp && mayHoldVanity && HAS_CAPITALS.test(source)) {
    const vanity: PhoneMatch[] = [];
    vanityNumbers(source, country, vanity);
    if (vanity.length > 0) matches = mergeByStart(matches, vanity);
  }
  if (map !== null) for (const m of matches) unfold(m, text, map);
  return matches;
}

const HAS_CAPITALS = /[A-Z]{3}/;

/**
 * A run that is exactly an ISO date with a real month ("2025-11-03"): markDateGroups would block all three of its groups,
 * so numbersInRun would find nothing. Dates fill tables (an "Opened" column); this skips their group and rule work.
 */
function isoDateRun(text: string, start: number, end: number): boolean {
  if (end - start !== 10 || text.charCodeAt(start + 4) !== 45 || text.charCodeAt(start + 7) !== 45) return false;
  for (const k of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const c = text.charCodeAt(start + k);
    if (c < 48 || c > 57) return false;
  }
  const month = (text.charCodeAt(start + 5) - 48) * 10 + text.charCodeAt(start + 6) - 48;
  return month >= 1 && month <= 12;
}

/** Both lists in text order, a vanity match dropped where it overlaps a digit match. */
function mergeByStart(digits: PhoneMatch[], vanity: PhoneMatch[]): PhoneMatch[] {
  const out = [...digits];
  for (const v of vanity) if (!digits.some((d) => d.start < v.end && v.start < d.end)) out.push(v);
  return out.sort((a, b) => a.start - b.start);
}

/** Characters that are dropped from a number's shown text: the reader does not see them. */
const INVISIBLE = /[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** Moves a match found in folded text back onto the original text (its offsets and its text as the page wrote it). */
function unfold(m: PhoneMatch, original: string, map: Int32Array): void {
  m.start = map[m.start]!;
  m.end = map[m.end - 1]! + 1;
  m.text = original.slice(m.start, m.end).replace(INVISIBLE, '');
}
