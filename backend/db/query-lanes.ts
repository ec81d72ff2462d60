// Two lanes onto one embedded database, which runs one statement at a time: the request path's statements go first, and
// background work (the webhook delivery worker) waits for a moment when none is under way, so its backlog never stands in
// line ahead of Twilio's webhooks. The background lane is never starved: it waits at most maxWaitMs per statement.
import type { SqlClient } from './sql-client.js';

export interface QueryLanes<D extends SqlClient> {
  /** The request path's (the same client, counted), so that the background lane knows when the database is free. */
  foreground: D;
  /** Background work's: one statement at a time, each once no foreground statement is under way (or maxWaitMs passed). */
  background: SqlClient;
}

export function queryLanes<D extends SqlClient>(db: D, maxWaitMs = 250): QueryLanes<D> {
  let underWay = 0;
  let waiting: Array<() => void> = [];
  let line: Promise<unknown> = Promise.resolve();

  const settled = () => {
    underWay--;
    if (underWay > 0 || waiting.length === 0) return;
    const go = waiting;
    waiting = [];
    for (const resolve of go) resolve();
  };
  const counted = <T>(run: () => Promise<T>): Promise<T> => {
    underWay++;
    return run().finally(settled);
  };
  const quiet = () =>
    underWay === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(done, maxWaitMs);
          function done() {
            clearTimeout(timer);
            waiting = waiting.filter((w) => w !== done);
            resolve();
          }
          waiting.push(done);
        });
  const inLine = <T>(run: () => Promise<T>): Promise<T> => {
    const next = line.then(quiet).then(run);
    line = next.catch(() => undefined);
    return next;
  };

  return {
    foreground: {
      ...db,
      query: <T>(sql: string, params?: unknown[]) => counted(() => db.query<T>(sql, params)),
      exec: (sql: string) => counted(() => db.exec(sql)),
      close: () => db.close(),
    },
    background: {
      query: <T>(sql: string, params?: unknown[]) => inLine(() => db.query<T>(sql, params)),
      exec: (sql: string) => inLine(() => db.exec(sql)),
      // The database is the foreground's to close.
      close: () => Promise.resolve(),
    },
  };
}
