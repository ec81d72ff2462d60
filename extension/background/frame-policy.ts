// Which dials need the agent's confirmation in an extension window: those from frames the top page does not own.
import { DIAL_LIMITS } from '../protocol/messages.js';

export interface DialSender {
  url?: string;
  origin?: string;
  frameId?: number;
  /** Chrome's own account of the tab (never the page's): `active` is whether it is the tab shown in its window. */
  tab?: { id?: number; url?: string; title?: string; active?: boolean };
}

export type FrameVerdict = { confirm: false } | { confirm: true; why: string; frameHost: string };

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.origin === 'null' ? null : u.origin;
  } catch {
    return null;
  }
}

/**
 * A dial from the tab's top document goes straight through. One from a frame goes through only when the frame is a
 * same-origin page of the top document's site; a cross-origin frame (an ad, a widget), an about:blank or srcdoc frame
 * (its content is whatever its parent wrote) and a sandboxed frame (opaque origin) need a confirmation the page cannot
 * draw over. `sender` is what Chrome says of the message's sender, which the page cannot forge.
 */
export function framePolicy(sender: DialSender): FrameVerdict {
  if (sender.frameId === 0) return { confirm: false };
  const topOrigin = originOf(sender.tab?.url);
  const url = sender.url ?? '';
  if (/^about:/i.test(url)) return { confirm: true, why: 'an inline frame of the page', frameHost: hostOf(topOrigin) };
  if (sender.origin === 'null') return { confirm: true, why: 'a sandboxed frame of the page', frameHost: hostOf(topOrigin) };
  const frameOrigin = sender.origin ?? originOf(url);
  if (!frameOrigin || !topOrigin) return { confirm: true, why: 'a frame whose origin is unknown', frameHost: '' };
  if (frameOrigin !== topOrigin) return { confirm: true, why: `a frame from ${hostOf(frameOrigin)}, inside ${hostOf(topOrigin)}`, frameHost: hostOf(frameOrigin) };
  return { confirm: false };
}

function hostOf(origin: string | null): string {
  if (!origin) return '';
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}

/** The page a call is recorded against: the tab's top-level page, as Chrome reports it, never what the message says. */
export function pageOfSender(sender: DialSender): { pageUrl?: string; pageTitle?: string } {
  const url = sender.tab?.url ?? sender.url;
  const out: { pageUrl?: string; pageTitle?: string } = {};
  if (url && /^https?:/i.test(url)) out.pageUrl = url.slice(0, DIAL_LIMITS.pageUrl);
  if (sender.tab?.title) out.pageTitle = sender.tab.title.slice(0, DIAL_LIMITS.pageTitle);
  return out;
}
