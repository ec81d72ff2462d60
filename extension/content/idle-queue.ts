// Runs queued scan work in idle time, in short slices, with a per-second budget so a churning page cannot make us spin.

export interface IdleDeadlineLike {
  timeRemaining(): number;
  didTimeout?: boolean;
}

export interface IdleQueueOptions {
  /** Longest slice of work in one go (ms). */
  sliceMs: number;
  /** Most work per rolling second once the first full scan is done (ms). */
  budgetMsPerSecond: number;
  now(): number;
  requestIdle(cb: (deadline: IdleDeadlineLike) => void): void;
  /**
   * Schedules the next slice of the first full scan: a task as soon as the page lets us (scheduler.postTask,
   * MessageChannel), not an idle callback, which a busy or headless page may only run at its timeout.
   */
  requestSoon?(cb: (deadline: IdleDeadlineLike) => void): void;
  setTimer(cb: () => void, ms: number): void;
  /** Called with total work time when the queue runs dry. */
  onDrained?(stats: { workMs: number; slices: number; longestSliceMs: number }): void;
}

/** A queue of steppable work: each job is an iterator, advanced one step at a time until the slice is used up. */
export class IdleQueue<K> {
  private readonly pending: K[] = [];
  private readonly pendingSet = new Set<K>();
  private current: Iterator<unknown> | null = null;
  private scheduled = false;
  private windowStart = 0;
  private windowSpent = 0;
  private workMs = 0;
  private slices = 0;
  private longestSliceMs = 0;
  /** Budgets apply only after the first drain: the first full scan runs as fast as slicing allows. */
  private throttled = false;

  constructor(
    private readonly makeJob: (key: K) => Iterator<unknown> | null,
    private readonly opts: IdleQueueOptions,
    private readonly shouldSkip: (key: K, pending: ReadonlySet<K>) => boolean = () => false,
  ) {}

  get size(): number {
    return this.pending.length + (this.current ? 1 : 0);
  }

  enqueue(key: K): void {
    if (this.pendingSet.has(key)) return;
    this.pendingSet.add(key);
    this.pending.push(key);
    this.schedule();
  }

  /** Drops every queued job (e.g. when detection is switched off). */
  clear(): void {
    this.pending.length = 0;
    this.pendingSet.clear();
    this.current = null;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const now = this.opts.now();
    if (this.throttled && now - this.windowStart < 1000 && this.windowSpent >= this.opts.budgetMsPerSecond) {
      this.opts.setTimer(() => this.opts.requestIdle((d) => this.run(d)), 1000 - (now - this.windowStart));
      return;
    }
    if (!this.throttled && this.opts.requestSoon) this.opts.requestSoon((d) => this.run(d));
    else this.opts.requestIdle((d) => this.run(d));
  }

  private nextJob(): Iterator<unknown> | null {
    while (this.pending.length > 0) {
      const key = this.pending.shift()!;
      this.pendingSet.delete(key);
      if (this.shouldSkip(key, this.pendingSet)) continue;
      const job = this.makeJob(key);
      if (job) return job;
    }
    return null;
  }

  private run(deadline: IdleDeadlineLike): void {
    this.scheduled = false;
    const start = this.opts.now();
    if (start - this.windowStart >= 1000) {
      this.windowStart = start;
      this.windowSpent = 0;
    }
    const remaining = deadline.didTimeout ? this.opts.sliceMs : Math.min(this.opts.sliceMs, Math.max(1, deadline.timeRemaining()));
    const budgetLeft = this.throttled ? this.opts.budgetMsPerSecond - this.windowSpent : Infinity;
    const limit = Math.min(remaining, budgetLeft);
    let now = start;
    while (now - start < limit) {
      if (!this.current) this.current = this.nextJob();
      if (!this.current) break;
      if (this.current.next().done) this.current = null;
      now = this.opts.now();
    }
    const spent = now - start;
    this.workMs += spent;
    this.windowSpent += spent;
    this.slices++;
    if (spent > this.longestSliceMs) this.longestSliceMs = spent;
    if (this.current || this.pending.length > 0) {
      this.schedule();
      return;
    }
    const stats = { workMs: this.workMs, slices: this.slices, longestSliceMs: this.longestSliceMs };
    this.throttled = true;
    this.workMs = 0;
    this.slices = 0;
    this.longestSliceMs = 0;
    this.opts.onDrained?.(stats);
  }
}
