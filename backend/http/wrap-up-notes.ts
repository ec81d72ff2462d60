// A wrap-up's notes as stored: plain text over several lines, each cleaned as other free text is, bounded.
import { MAX_WRAP_UP_NOTES } from '../../shared/api.js';
import { cleanText } from './free-text.js';

/** Lines kept (CRLF and CR become LF), control and invisible characters removed per line, at most two blank lines in a row. */
export function cleanNotes(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => cleanText(line, MAX_WRAP_UP_NOTES) ?? '')
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, MAX_WRAP_UP_NOTES);
}
