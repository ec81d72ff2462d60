// Folds the Unicode forms of digits and separators in page text into the ASCII ones detection reads, keeping a map back
// to the original offsets (so a highlight covers the number exactly as the page wrote it).
//
// Hand-written rather than String.prototype.normalize('NFKC'): NFKC leaves Arabic-Indic, Persian and most other
// national digits alone, does not drop zero-width spaces, joiners or soft hyphens, and gives no offset map.

/** The code point of the zero of each block of decimal digits (\p{Nd}) outside ASCII, in ascending order. */
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6, 0x0e50, 0x0ed0,
  0x0f20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0,
  0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
];

/** The value of a decimal digit outside ASCII (Arabic-Indic ٣, Persian ۳, Devanagari ३, full-width ３…), else -1. */
export function nonAsciiDigitValue(code: number): number {
  // Most text beyond U+0660 is CJK, Hangul or other letters: no digit block lies between U+1C5A and U+A61F.
  if (code < 0x0660 || (code > 0x1c59 && code < 0xa620)) return -1;
  for (let k = DIGIT_ZEROS.length - 1; k >= 0; k--) {
    const zero = DIGIT_ZEROS[k]!;
    if (code >= zero) return code - zero <= 9 ? code - zero : -1;
  }
  return -1;
}

/**
 * Characters that need folding: soft hyphen, the Unicode spaces, zero-width characters and bidi controls, the minus
 * sign, the ideographic space, full-width forms, and any decimal digit outside ASCII. Most text has none: one scan.
 */
const NEEDS_FOLDING = /[\u00ad\u2000-\u200f\u202a-\u202f\u205f-\u2064\u2066-\u2069\u2212\u3000\ufeff\uff01-\uff5e]|(?![0-9])\p{Nd}/u;

const MAY_NEED_FOLDING = /[\u00ad\u0660-\uffff]/;

/** Characters a reader does not see: they are dropped (a soft hyphen or zero-width space inside a number joins it). */
function invisible(code: number): boolean {
  return (
    code === 0x00ad ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2064) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}

export interface FoldedText {
  /** The text with digits, plus, brackets, hyphens and spaces in their ASCII forms and invisible characters dropped. */
  text: string;
  /** For each character of `text`, its offset in the original (one more entry: the original's length); null when unchanged. */
  map: Int32Array | null;
}

/** Folds `text` for detection; returns it unchanged (map null) when nothing needs folding. */
export function foldText(text: string): FoldedText {
  // A plain character class first (scanned natively, unlike the Unicode-aware expression, which is slow over long text).
  const at = text.search(MAY_NEED_FOLDING);
  if (at < 0 || !NEEDS_FOLDING.test(at === 0 ? text : text.slice(at))) return { text, map: null };
  const map = new Int32Array(text.length + 1);
  let out = '';
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let c: string;
    if (code < 0x00ad) c = text[i]!;
    else if (invisible(code)) continue;
    else if ((code >= 0x2000 && code <= 0x200a) || code === 0x202f || code === 0x205f || code === 0x3000) c = ' ';
    else if (code === 0x2212) c = '-';
    else if (code >= 0xff01 && code <= 0xff5e) c = String.fromCharCode(code - 0xfee0);
    else {
      const d = nonAsciiDigitValue(code);
      c = d >= 0 ? String.fromCharCode(48 + d) : text[i]!;
    }
    out += c;
    map[n++] = i;
  }
  map[n] = text.length;
  return { text: out, map: map.subarray(0, n + 1) };
}

/** Whether `text` holds at least `min` decimal digits of any script. */
export function hasDigits(text: string, min: number): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 0x0660 && nonAsciiDigitValue(c) >= 0)) {
      if (++digits >= min) return true;
    }
  }
  return false;
}
