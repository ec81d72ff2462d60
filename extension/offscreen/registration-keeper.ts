// Keeps the backend told that this softphone takes incoming calls: renewed every few minutes while registered, and tried
// again within seconds when a registration fails (until one is taken, nobody can ring the agent).
export interface RegistrationKeeperOptions {
  /** POST /api/softphone/registration; rejects when the backend did not take it. */
  post(registered: boolean): Promise<void>;
  renewMs?: number;
  /** The first wait before a failed registration is tried again (doubling, at most 30 s). */
  retryMs?: number;
}

export interface RegistrationKeeper {
  /** Registers now and keeps it up; a second call starts over. */
  register(): void;
  /** Stops renewing; `tellBackend` also says so (signed out, device gone). */
  stop(tellBackend: boolean): void;
  readonly active: boolean;
}

const MAX_RETRY_MS = 30_000;

export function registrationKeeper(options: RegistrationKeeperOptions): RegistrationKeeper {
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Which register() is current: an answer to an older one schedules nothing.
  let run = 0;
  let active = false;
  const firstRetry = options.retryMs ?? 1000;
  const renew = options.renewMs ?? 5 * 60_000;
  // One request at a time, in order: an unregister overtaken by the register right after it would leave the agent
  // unringable until the next renewal.
  let queue: Promise<unknown> = Promise.resolve();
  const post = (registered: boolean) => {
    const sent = queue.then(() => options.post(registered));
    queue = sent.catch(() => undefined);
    return sent;
  };
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return {
    register() {
      clear();
      active = true;
      const mine = ++run;
      const schedule = (next: () => void, ms: number) => {
        if (mine === run) timer = setTimeout(next, ms);
      };
      const attempt = (retry: number) => {
        post(true).then(
          () => schedule(() => attempt(firstRetry), renew),
          () => schedule(() => attempt(Math.min(retry * 2, MAX_RETRY_MS)), retry),
        );
      };
      attempt(firstRetry);
    },
    stop(tellBackend) {
      clear();
      run += 1;
      active = false;
      if (tellBackend) post(false).catch(() => undefined);
    },
    get active() {
      return active;
    },
  };
}
