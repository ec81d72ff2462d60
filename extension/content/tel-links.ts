// tel: links: reads the number a link dials, and the rule for taking over a click on one.
import type { CountryCode } from 'libphonenumber-js/max';
import { detectPhoneNumbers } from '../../shared/phone/detect.js';
import { toE164 } from '../../shared/phone/normalize.js';

/**
 * The longest extension a page may offer. Real extensions are a few digits; a longer "extension" is more likely a second
 * number smuggled in after the first (a PBX's dial-out prefix plus a premium number), sent after the answer.
 */
export const MAX_PAGE_EXTENSION_DIGITS = 8;

export interface TelNumber {
  e164: string;
  extension?: string;
}

/** The number a tel: href dials (RFC 3966: visual separators, ;ext=, ;phone-context), or null when it is not callable. */
export function telHrefToNumber(href: string, defaultCountry: CountryCode): TelNumber | null {
  const m = /^\s*tel:([^?#]*)/i.exec(href);
  if (!m || m[1] === undefined) return null;
  let value: string;
  try {
    value = decodeURIComponent(m[1]);
  } catch {
    return null;
  }
  const [number = '', ...params] = value.split(';');
  let extension: string | undefined;
  for (const p of params) {
    const [k, v] = p.split('=');
    if (k?.trim().toLowerCase() === 'ext' && v && /^\d{1,10}$/.test(v.trim())) extension = v.trim();
  }
  const result = toE164(number.replace(/[^\d+*#]/g, ''), defaultCountry);
  if (!result.ok) return null;
  const out: TelNumber = { e164: result.e164 };
  const ext = extension ?? result.extension;
  if (ext !== undefined) out.extension = ext;
  return out;
}

/** The tel: link an event went through, found along its composed path (links inside shadow roots included). */
export function telLinkInPath(event: Event): HTMLAnchorElement | null {
  for (const target of event.composedPath()) {
    const el = target as Element;
    if (el.nodeType === 1 && el.tagName === 'A' && /^\s*tel:/i.test(el.getAttribute('href') ?? '')) return el as HTMLAnchorElement;
  }
  return null;
}

/**
 * Whether a click on a tel: link is taken over: only a trusted, plain, primary-button click, and only when the
 * options allow it. Page-made (synthetic) clicks never place a call.
 */
export function shouldTakeOverClick(event: MouseEvent, takeOverTelLinks: boolean): boolean {
  if (!takeOverTelLinks || !event.isTrusted || event.defaultPrevented) return false;
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return false;
  return true;
}

/**
 * Why a tel: link would mislead the agent, or null: its text shows a phone number other than the one it dials, or the
 * link dials extension digits its text does not show. Such a link is not offered; its text's own number still is.
 */
export function telLinkMisleads(linkText: string, dialled: TelNumber, defaultCountry: CountryCode): string | null {
  if (dialled.extension !== undefined && !/^\d+$/.test(dialled.extension)) return 'The link dials digits that are not an extension.';
  if (dialled.extension !== undefined && dialled.extension.length > MAX_PAGE_EXTENSION_DIGITS) return 'The link dials too many extension digits.';
  const shown = detectPhoneNumbers(linkText, { defaultCountry });
  if (shown.length === 0) return null;
  if (shown.some((m) => m.e164 !== dialled.e164)) return 'The link shows a different number from the one it dials.';
  if (dialled.extension !== undefined && !shown.some((m) => m.extension === dialled.extension)) return 'The link dials an extension it does not show.';
  return null;
}

/** What the chip says for a tel: link whose number cannot be called ("(033) 452-1299" with the default country US). */
export function unparseableTelSentence(href: string): string {
  let shown = href.replace(/^\s*tel:/i, '');
  try {
    shown = decodeURIComponent(shown);
  } catch {
    // Shown as written.
  }
  shown = shown.split(';')[0]!.trim().slice(0, 40);
  return shown
    ? `${shown} is not a complete phone number, so it cannot be called from here.`
    : 'This link has no phone number to call.';
}
