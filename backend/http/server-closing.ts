// The server's "I am shutting down" signal: long-lived streams end with a last event saying so, instead of leaving
// their readers to guess from a dropped connection.
export interface ServerClosing {
  readonly closing: boolean;
  /** Called once, when the server starts closing; returns how to unregister. */
  onClosing(listener: () => void): () => void;
}

export function createServerClosing(): ServerClosing & { begin(): void } {
  const listeners = new Set<() => void>();
  let closing = false;
  return {
    get closing() {
      return closing;
    },
    onClosing(listener) {
      if (closing) {
        listener();
        return () => undefined;
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    begin() {
      if (closing) return;
      closing = true;
      for (const listener of listeners) listener();
      listeners.clear();
    },
  };
}
