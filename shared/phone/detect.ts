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
  const start = numberStart(text, groups, i, plus);
  let end = groups[j]!.end;
  let extension: string | undefined;
  EXTENSION.lastIndex = end;
  const ext = EXTENSION.exec(text);
  if (ext && ext[1] !== undefined && !gluedAfter(text, EXTENSION.lastIndex)) {
    extension = ext[1];
    end = EXTENSION.lastIndex;
  } else if (j < groups.length - 1 ? false : gluedAfter(text, end)) {
    return null;
  }
  const match: PhoneMatch = { start, end, e164, text: text.slice(start, end) };
  if (extension !== undefined) match.extension = extension;
  return match;
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
const WHOLE_NANP = /^(\+?1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}$/;

function wholeNanpNumber(text: string, country: CountryCode): PhoneMatch | null {
  if (text.length < 12 || text.length > 17 || !WHOLE_NANP.test(text)) return null;
  let digits = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += text[i];
  }
  const e164 = validateDigits(digits, text.charCodeAt(0) === 43, country);
  return e164 === null ? null : { start: 0, end: text.length, e164, text };
}

/** Returns every callable number in `text`, in order, with offsets into `text`. */
export function detectPhoneNumbers(text: string, options: DetectOptions = {}): PhoneMatch[] {
  const country = options.defaultCountry ?? 'US';
  const nanp = callingCodeOf(country) === '1';
  if (nanp) {
    const whole = wholeNanpNumber(text, country);
    if (whole) return [whole];
  }
  // Full-width, Arabic-Indic and other digits, Unicode spaces and invisible characters are folded once, here.
  const folded = foldText(text);
  const source = folded.text;
  let matches: PhoneMatch[] = [];
  RUN.lastIndex = 0;
  let run: RegExpExecArray | null;
  while ((run = RUN.exec(source)) !== null) {
    const runStart = run.index;
    const runEnd = runStart + run[0].length;
    // Fewer than 7 digits cannot be a number: most runs (dates, amounts) stop here.
    let digitCount = 0;
    for (let k = runStart; k < runEnd; k++) {
      const c = source.charCodeAt(k);
      if (c >= 48 && c <= 57) digitCount++;
    }
    if (digitCount < 7) continue;
    const { matches: found, resumeAt } = numbersInRun(source, runStart, runEnd, country, nanp);
    for (const m of found) matches.push(m);
    if (resumeAt > RUN.lastIndex) RUN.lastIndex = resumeAt;
  }
  if (nanp && HAS_CAPITALS.test(source)) {
    const vanity: PhoneMatch[] = [];
    vanityNumbers(source, country, vanity);
    if (vanity.length > 0) matches = mergeByStart(matches, vanity);
  }
  if (folded.map !== null) for (const m of matches) unfold(m, text, folded.map);
  return matches;
}

const HAS_CAPITALS = /[A-Z]{3}/;

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
