// Keeps exactly one offscreen document (the softphone) alive: created on demand, checked with runtime.getContexts, pinged.
export const OFFSCREEN_PATH = 'extension/offscreen/index.html';
export const OFFSCREEN_REASONS = ['USER_MEDIA', 'WEB_RTC'] as const;
const OFFSCREEN_JUSTIFICATION = 'Keeps the softphone (microphone and WebRTC audio) running while the popup is closed.';

export interface OffscreenDeps {
  getURL(path: string): string;
  getContexts(filter: { contextTypes: 'OFFSCREEN_DOCUMENT'[]; documentUrls: string[] }): Promise<unknown[]>;
  createDocument(params: { url: string; reasons: (typeof OFFSCREEN_REASONS)[number][]; justification: string }): Promise<void>;
  /** Resolves true once the document's message listener answers. */
  ping(): Promise<boolean>;
  sleep?: (ms: number) => Promise<void>;
}

export async function hasOffscreenDocument(deps: OffscreenDeps): Promise<boolean> {
  const url = deps.getURL(OFFSCREEN_PATH);
  const contexts = await deps.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
  return contexts.length > 0;
}

/** Idempotent: creates the document only when none exists, then waits until it answers a ping. */
export async function ensureOffscreenDocument(deps: OffscreenDeps): Promise<void> {
  if (!(await hasOffscreenDocument(deps))) {
    try {
      await deps.createDocument({ url: deps.getURL(OFFSCREEN_PATH), reasons: [...OFFSCREEN_REASONS], justification: OFFSCREEN_JUSTIFICATION });
    } catch (error) {
      // Two callers raced and the other one created it: that is the one document we want.
      if (!(await hasOffscreenDocument(deps))) throw error;
    }
  }
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; attempt < 40; attempt += 1) {
    if (await deps.ping().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error('The softphone did not start; reload the extension and try again.');
}
