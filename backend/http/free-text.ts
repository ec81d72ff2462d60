// Free text stored from a page or a caller (contact names, page titles): one line, NFC, no invisible or direction controls.

/**
 * Characters that change how the text around them is shown without being seen: the bidi embeddings, overrides and
 * isolates and the direction marks (a right-to-left override turns "Invoice \u202Efdp.exe" into "Invoice exe.pdf"),
 * and the zero-width space, word joiner, invisible operators, Mongolian vowel separator and byte-order mark.
 * The zero-width joiner and non-joiner are kept inside words, where emoji sequences and Persian or Indic text need them.
 */
const INVISIBLE = /[\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/gu;
/** A joiner at an edge of the text or beside a space joins nothing. */
const LOOSE_JOINER = /(?<!\S)[\u200C\u200D]+|[\u200C\u200D]+(?!\S)/gu;

/** The text as stored: control characters as spaces, invisible characters removed, trimmed, at most `max` long; null if empty. */
export function cleanText(value: string | undefined, max: number): string | null {
  const text = value
    ?.normalize('NFC')
    // Control characters in a stored name or title would garble logs and the popup; they are never meaningful here.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(INVISIBLE, '')
    .replace(LOOSE_JOINER, '')
    .trim();
  return text ? text.slice(0, max) : null;
}
