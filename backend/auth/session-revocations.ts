// Ended sessions, kept in memory so that checking an access token's session costs no database round trip per request.
/**
 * An access token lives at most `ttlSeconds`, so a session ended longer ago than that needs no entry: every token of
 * it has expired anyway. Listeners (the live event streams) hear of each ended session at once.
 */
export class SessionRevocations {
  private readonly ended = new Map<string, number>();
  private readonly listeners = new Set<(sessionId: string) => void>();

  constructor(private readonly ttlSeconds: number, private readonly now: () => Date) {}

  revoke(sessionId: string, at: Date = this.now()): void {
    if (!this.ended.has(sessionId)) this.ended.set(sessionId, at.getTime());
    this.prune();
    for (const listener of this.listeners) listener(sessionId);
  }

  isRevoked(sessionId: string): boolean {
    return this.ended.has(sessionId);
  }

  /** Calls `listener` with each session id revoked from now on; returns how to stop. */
  onRevoked(listener: (sessionId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets sessions ended longer ago than an access token lives (Map iterates in insertion order: oldest first). */
  private prune(): void {
    const cutoff = this.now().getTime() - this.ttlSeconds * 1000;
    for (const [id, at] of this.ended) {
      if (at >= cutoff) break;
      this.ended.delete(id);
    }
  }
}
