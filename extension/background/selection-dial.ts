// Dialling the selected text: the "Call <selection>" context-menu item and the keyboard shortcut.
export const CONTEXT_MENU_ID = 'c2c-call-selection';
export const DIAL_SELECTION_COMMAND = 'dial-selection';
export const NO_SELECTION_MESSAGE = 'Select a phone number on the page first, then press the shortcut again.';

export interface PickedSelection {
  text: string;
  /** The frame it is in, as Chrome reports it (frame 0: the tab's own document). */
  frameId: number;
  /** That frame's address, as the frame reports it: only used to decide whether the dial asks first. */
  url?: string;
}

/** The first non-empty selection among a tab's frames (executeScript results), trimmed and bounded, with its frame. */
export function pickSelection(results: readonly { result?: unknown; frameId?: number }[]): PickedSelection | null {
  for (const { result, frameId } of results) {
    const r = result as { text?: unknown; url?: unknown } | string | undefined;
    const text = typeof r === 'string' ? r : typeof r?.text === 'string' ? r.text : '';
    if (text.trim() === '') continue;
    const url = typeof r === 'object' && typeof r.url === 'string' ? r.url : undefined;
    return { text: text.trim().slice(0, 64), frameId: frameId ?? 0, ...(url ? { url } : {}) };
  }
  return null;
}

/** Runs in the page (via scripting.executeScript): what the person selected in this frame, and where that frame is. */
export function readSelectionInPage(): { text: string; url: string } {
  return { text: globalThis.getSelection?.()?.toString() ?? '', url: globalThis.location?.href ?? '' };
}
