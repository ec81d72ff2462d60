// The screen pop: the page a caller was last called from, opened when the agent answers them (an agent option, off by
// default). The address is the backend's record of an earlier call's tab; only http(s) pages are opened.
import type { IncomingCall } from '../protocol/softphone.js';

export function screenPopUrl(incoming: Pick<IncomingCall, 'pageUrl'> | null | undefined, enabled: boolean): string | null {
  if (!enabled || !incoming?.pageUrl) return null;
  try {
    const url = new URL(incoming.pageUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
