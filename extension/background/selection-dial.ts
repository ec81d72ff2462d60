// Dialling the selected text: the "Call <selection>" context-menu item and the keyboard shortcut.
export const CONTEXT_MENU_ID = 'c2c-call-selection';
export const DIAL_SELECTION_COMMAND = 'dial-selection';
export const NO_SELECTION_MESSAGE = 'Select a phone number on the page first, then press the shortcut again.';

/** The first non-empty selection among a tab's frames (executeScript results), trimmed and bounded. */
export function pickSelection(results: readonly { result?: unknown }[]): string | null {
  for (const { result } of results) {
    if (typeof result === 'string' && result.trim() !== '') return result.trim().slice(0, 64);
  }
  return null;
}

/** Runs in the page (via scripting.executeScript): what the person selected in this frame. */
export function readSelectionInPage(): string {
  return globalThis.getSelection?.()?.toString() ?? '';
}
