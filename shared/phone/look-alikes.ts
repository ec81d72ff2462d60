// Context rules that tell phone numbers from look-alikes: identifier labels, glued digits, dates, times, IPs, cards, IBANs, amounts.
import { INTL_LABEL_BEFORE, mayEndWithIntlLabel } from './label-words.js';

/**
 * Words that, right before digits, say the digits are an identifier, not a number to call.
 * Strong labels suffice alone ("Order 2125550118"); weak ones need an id/no/number/# after them ("Customer ID").
 */
const STRONG_LABELS =
  'order|invoice|inv|ref|reference|case|ticket|po|p\\.o\\.|sku|upc|ean|tracking|serial|s/n|sn|transaction|txn|' +
  'confirmation|booking|reservation|pnr|policy|claim|account|acct|a/c|iban|bic|swift|routing|aba|card|ssn|ein|tin|vat|' +
  'version|ver|build|release|rev|revision|isbn|issn|mrn|vin|awb|shipment|parcel|export|batch|lot|model|part|item|quote|estimate|receipt|voucher|coupon|message-id|' +
  'rma|mls|asin|gtin|imei|iccid|apn';
const WEAK_LABELS = 'customer|client|member|patient|employee|student|user|record|request|req|loan|contract|license|licence|registration|reg|tax|product|order|document|doc|file|job|project|store|unit|room|zip|postal|id';
const SUFFIX = '(?:id|no|nr|num|number|#|code|key)';

const LABEL_BEFORE = new RegExp(
  `(?:\\b(?:${STRONG_LABELS})\\b\\.?[ \\u00a0]*${SUFFIX}?|\\b(?:${WEAK_LABELS})\\b[ \\u00a0.\\-_]*${SUFFIX}|(?<!caller[ \\u00a0\\-]?)\\bid\\b)` +
    '\\.?[ \\u00a0]*[:#=\\-]?[ \\u00a0]*#?[ \\u00a0]*$',
  'i',
);

/** "<anything> no. 123…" labels an identifier unless the thing is a phone ("Phone no.", "Tel. #"). */
const NUMBERED_THING = /(?<!\b(?:phone|tel|telephone|mobile|cell|fax|contact|direct|office|home|work|whatsapp))\.?[ \u00a0]+(?:no\.|nr\.|#)[ \u00a0]*$/i;

/** How much text before a number the label rule looks at. */
const LABEL_WINDOW = 40;

const ANY_LETTER = /\p{L}/u;
const BARE_NUMBER_SIGN = /(?:^|\s)#\s*:\s*$/;
/**
 * Words of the label tables that are also English-looking ASCII (factura, kundennummer, pedido…) or any non-ASCII letter:
 * the multi-language expression (slower, Unicode-aware) runs only then. The words are grouped by first letter (it only
 * says whether one occurs): half the time per test of the flat list, which the engine tries word by word at each position.
 */
const NON_ENGLISH_HINT =
  /[^\t-~]|a(?:lbar|uftrag|ktenzeichen|p[oó]lice)|\baz\b|bestellung|c(?:[oó]digo|ommande|olis|ontrat|hamado|pf|npj)|dossier|e(?:xpediente|ncomenda)|f(?:actura|acture|atura)|identifiant|kundenkonto|localizador|n(?:[uú]m|ro|ummer|r\b|ota fiscal|\.?\s?o\b)|\bnf|p(?:edido|oliza|rotocolo)|r(?:eferencia|echnung|astreio)|s(?:eguimiento|inistre|endung)|vorgang/i;

/**
 * The ASCII characters a label (with what may follow it) can end with: letters, white space and ".:#=-". The other
 * languages' labels end with letters or º/° (non-ASCII, not checked here).
 */
const ASCII_LABEL_END: readonly boolean[] = Array.from({ length: 128 }, (_, c) => /[A-Za-z\t\n\v\f\r .:#=-]/.test(String.fromCharCode(c)));
/** Whether a character can end an English label rule's match (LABEL_BEFORE, NUMBERED_THING): [A-Za-z .:#=\u00a0-]. */
function endsEnglishLabel(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 32 || c === 46 || c === 58 || c === 35 || c === 61 || c === 0xa0 || c === 45;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * The last run of ASCII letters of every English label LABEL_BEFORE or NUMBERED_THING can end with when no "#" is
 * written: a strong label ("order", "o" of "p.o.", "n" of "s/n"), a suffix ("id", "no", "number"…), "nr" of "nr.".
 * (A weak label needs a suffix after it; only "#" can end a label with any word.)
 */
const ENGLISH_LAST_WORDS: ReadonlySet<string> = new Set(
  [...STRONG_LABELS.split('|'), ...SUFFIX.slice(3, -1).split('|'), 'id', 'no', 'nr'].map((label) => /[a-z]+(?=[^a-z]*$)/.exec(label)?.[0] ?? ''),
);

/** The last run of ASCII letters in `text` before its label tail, lower-cased ("" when there is none). */
function lastWord(text: string): string {
  let end = text.length;
  // The tail the rules allow after a label: spaces, no-break spaces, ".:#=-".
  while (end > 0 && endsEnglishLabel(text.charCodeAt(end - 1)) && !isAsciiLetter(text.charCodeAt(end - 1))) end--;
  let start = end;
  while (start > 0 && isAsciiLetter(text.charCodeAt(start - 1))) start--;
  return text.slice(start, end).toLowerCase();
}

/** Whether the text just before a number labels it as an identifier (Order, Invoice, Customer ID, Ref, Case, PO, SKU…). */
export function labelledAsIdentifier(text: string, start: number): boolean {
  if (start === 0) return false;
  // Every rule's label ends with a letter or ".", "-", "#", ":", "=", a space: most numbers come after something else
  // (a bracket, a digit, a comma), and those need none of the expressions below (a third of a dense table's time).
  const last = text.charCodeAt(start - 1);
  if (last < 128 && !ASCII_LABEL_END[last]) return false;
  const before = text.slice(Math.max(0, start - LABEL_WINDOW), start);
  // A bare "#:" (a work order's "#: 6175550130").
  if (before.includes('#') && BARE_NUMBER_SIGN.test(before)) return true;
  // No letter at all before it: no label.
  if (!ANY_LETTER.test(before)) return false;
  // The English rules allow only spaces, no-break spaces and ".:#=-" between label and number (no tab or line break),
  // and without a "#" ("Room #") their label ends with one of a few words: "call 212…" needs neither expression.
  if (
    endsEnglishLabel(last) &&
    (before.includes('#') || ENGLISH_LAST_WORDS.has(lastWord(before))) &&
    (LABEL_BEFORE.test(before) || NUMBERED_THING.test(before))
  ) {
    return true;
  }
  // The other languages' tables only when the text before is not plain English.
  return mayEndWithIntlLabel(before) && NON_ENGLISH_HINT.test(before) && INTL_LABEL_BEFORE.test(before);
}

/**
 * Whether a table column header names an identifier column ("Customer ID", "Account #", "Order", "Invoice no."):
 * numbers in such a column are not offered, even with no label beside them in the cell.
 */
export function isIdentifierHeader(header: string): boolean {
  const text = header.replace(/\s+/g, ' ').trim();
  if (text === '' || text.length > LABEL_WINDOW) return false;
  // A header read as the label of a number written right after it.
  return labelledAsIdentifier(`${text} 0`, text.length + 1);
}

/**
 * Characters that glue to digits into one token: letters of scripts written with spaces between words that look like
 * Latin (Latin, Greek, Cyrillic, Armenian), digits and "_". Chinese, Japanese, Arabic, Hebrew, Thai… text runs straight
 * into a number ("我的电话号码是415-666-7777"): those letters do not glue. A combining mark counts as its base letter.
 */
const GLUE_CHAR = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Nd}_]/u;
const MARK = /\p{M}/u;
const DIGIT = /\p{Nd}/u;
const SPACE = /\s/;

/** ASCII letters, digits and "_" (the common case, without a Unicode-aware expression). */
function asciiWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isGlueChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c < 128 ? asciiWordCode(c) : GLUE_CHAR.test(ch);
}

function isMark(ch: string): boolean {
  return ch.charCodeAt(0) >= 0x0300 && MARK.test(ch);
}

function isDigitChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c < 128 ? c >= 48 && c <= 57 : DIGIT.test(ch);
}

function gluesAt(text: string, at: number): boolean {
  let k = at;
  while (k > 0 && isMark(text[k]!)) k--;
  const c = text[k];
  return c !== undefined && isGlueChar(c);
}

/** A lower-case word of four letters or more right before a hyphen: "number-415-666-7777" is prose, "T-2125550118" is not. */
const PROSE_WORD_BEFORE_HYPHEN = /(?:^|[^\p{L}\p{N}])\p{Ll}{4,}$/u;

/** Whether digits starting at `start` are glued to a word or more digits before them (T-88412, ab2125550118, DE89…). */
export function gluedBefore(text: string, start: number): boolean {
  const prev = text[start - 1];
  if (prev === undefined) return false;
  if (gluesAt(text, start - 1)) return true;
  if (prev === '-' || prev === '_' || prev === '/' || prev === '#' || prev === '@' || prev === '=' || prev === '&' || prev === '?') {
    if (prev === '#' || prev === '@' || prev === '=') return true;
    if (start < 2 || !gluesAt(text, start - 2)) return false;
    // "My number-415-666-7777": a hyphen after an ordinary word, before a number written in groups, joins nothing.
    if (prev === '-' && /[-. ]\d/.test(text.slice(start + 2, start + 6)) && PROSE_WORD_BEFORE_HYPHEN.test(text.slice(Math.max(0, start - 21), start - 1))) return false;
    return true;
  }
  // A time or ratio ("10:30"), or digits the run could not take in ("12·2125550118"): part of a longer token.
  const prev2 = text[start - 2];
  if (prev2 !== undefined && isDigitChar(prev2) && !SPACE.test(prev) && prev !== '(' && prev !== '[' && prev !== ';' && prev !== '|') return true;
  return false;
}

/**
 * Whether digits ending at `end` are glued to a word or more digits after them (7135550188-B, 2125550118abc, 10:30).
 * Digits right after the run, past any character it could not take in ("2555·0100"), glue too: the number a person
 * reads goes on, and a number built from part of its digits would be a wrong number.
 */
export function gluedAfter(text: string, end: number): boolean {
  const next = text[end];
  if (next === undefined) return false;
  if (isGlueChar(next) || isMark(next)) return true;
  const next2 = text[end + 1];
  if (next === '-' || next === '_' || next === '/' || next === '@' || next === '=') {
    // "/x12": an extension-like tail libphonenumber strips, not a token glued on.
    if (next === '/' && (next2 === 'x' || next2 === 'X') && isDigitChar(text[end + 2] ?? ' ')) return false;
    return next2 !== undefined && isGlueChar(next2);
  }
  if (next2 !== undefined && isDigitChar(next2) && !SPACE.test(next) && next !== ')' && next !== ']' && next !== ';' && next !== '|') return true;
  if (next === '%' || next === '°') return true;
  return false;
}

const CURRENCY_BEFORE = /[$€£¥₹₽₩¢][ \u00a0]?$|\b(?:usd|eur|gbp|jpy|chf|cad|aud)[ \u00a0]?$/i;
const CURRENCY_AFTER = /^[ \u00a0]?(?:[$€£¥₹]|(?:usd|eur|gbp|jpy|chf|cad|aud|dollars?|euros?|kb|mb|gb|tb|km|kg|ms|g|lbs?|oz|ml|cm|mm)\b)/i;

/** Whether a currency sign or unit beside the digits marks them as an amount or a measure. */
export function amountContext(text: string, start: number, end: number): boolean {
  // Most numbers stand alone in their text ("(212) 555-0100" in a cell): nothing but brackets and spaces around them.
  const from = Math.max(0, start - 5);
  return (!onlySpacesAndBrackets(text, from, start) && CURRENCY_BEFORE.test(text.slice(from, start))) || (end < text.length && CURRENCY_AFTER.test(text.slice(end, end + 9)));
}

function onlySpacesAndBrackets(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 40 && c !== 43 && c !== 0xa0) return false;
  }
  return true;
}

/** A group of digits in a digit run, and the separator written before it. */
export interface DigitGroup {
  digits: string;
  start: number;
  end: number;
  sepBefore: string;
}

function allLength(groups: readonly DigitGroup[], length: number): boolean {
  return groups.every((g) => g.digits.length === length);
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Whether a whole run of digit groups is a look-alike that must not yield any number:
 * an IP address, a card number (4-4-4-4, or 13–19 digits passing Luhn), an IBAN (country letters glued before).
 */
export function lookAlikeRun(text: string, groups: readonly DigitGroup[]): boolean {
  const first = groups[0];
  if (!first) return true;
  // IPv4: four dot-separated groups of one to three digits.
  if (groups.length === 4 && groups.every((g, i) => g.digits.length <= 3 && (i === 0 || g.sepBefore === '.'))) return true;
  let total = 0;
  for (const g of groups) total += g.digits.length;
  // Card numbers.
  if (groups.length >= 3 && allLength(groups.slice(0, 3), 4) && total >= 12 && !text.slice(Math.max(0, first.start - 1), first.start).includes('+')) return true;
  if (total >= 13 && total <= 19 && groups.length <= 5 && groups.every((g) => g.sepBefore === '' || g.sepBefore === ' ' || g.sepBefore === '-')) {
    const all = groups.map((g) => g.digits).join('');
    if (groups.length === 1 || (groups.length >= 3 && groups[0]!.digits.length === 4)) {
      if (luhnValid(all)) return true;
    }
  }
  // IBAN: two capital letters glued to check digits, then groups of four.
  if (/[A-Z]{2}$/.test(text.slice(Math.max(0, first.start - 2), first.start)) && first.digits.length === 2) return true;
  return false;
}

const DATE_SEPARATORS = new Set(['-', '.', '/', '\u2010', '\u2011', '\u2013']);

/**
 * Marks the groups that belong to a date (2025-11-03, 11/03/2025, 03.11.2025) or to a version such as 2.12.555
 * written in dotted form; a marked group cannot be part of a number.
 */
export function markDateGroups(groups: readonly DigitGroup[], blocked: boolean[]): void {
  for (let i = 0; i + 2 < groups.length; i++) {
    const a = groups[i]!;
    const b = groups[i + 1]!;
    const c = groups[i + 2]!;
    const sep = b.sepBefore;
    if (!DATE_SEPARATORS.has(sep) || c.sepBefore !== sep) continue;
    // A date has exactly three parts: 06.12.34.56.78 is a French number, not a date.
    if (a.sepBefore === sep || groups[i + 3]?.sepBefore === sep) continue;
    const la = a.digits.length;
    const lb = b.digits.length;
    const lc = c.digits.length;
    const ymd = la === 4 && lb <= 2 && lc <= 2 && Number(b.digits) >= 1 && Number(b.digits) <= 12;
    const dmy = la <= 2 && lb <= 2 && (lc === 4 || lc === 2) && Number(a.digits) >= 1 && Number(b.digits) >= 1 && (Number(a.digits) <= 12 || Number(b.digits) <= 12);
    if (ymd || dmy) {
      blocked[i] = blocked[i + 1] = blocked[i + 2] = true;
    }
  }
}
