// The embedded database's two lanes on a real PGlite: background statements wait for the requests' statements under way,
// and still run within their longest wait when requests never stop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase, type EmbeddedDatabase } from './embedded-database.js';
import { queryLanes } from './query-lanes.js';

let db: EmbeddedDatabase;
beforeAll(async () => {
  db = await openEmbeddedDatabase(null);
}, 60_000);
afterAll(() => db.close());

describe('query lanes', () => {
  it('runs a background statement after the foreground statements sent before and right after it', async () => {
    const { foreground, background } = queryLanes(db, 5_000);
    const done: string[] = [];
    const first = foreground.query('select pg_sleep(0.15)').then(() => done.push('request 1'));
    const hook = background.query("select 'worker'").then(() => done.push('worker'));
    const second = foreground.query('select pg_sleep(0.05)').then(() => done.push('request 2'));
    await Promise.all([first, hook, second]);
    // On one connection without lanes, the worker's statement would have run between the two requests'.
    expect(done).toEqual(['request 1', 'request 2', 'worker']);
  });

  it('runs background statements one at a time, each within its longest wait while requests never stop', async () => {
    const { foreground, background } = queryLanes(db, 100);
    let stop = false;
    // Two overlapping request streams: never a moment without a foreground statement under way.
    const stream = async () => {
      while (!stop) await foreground.query('select pg_sleep(0.02)');
    };
    const streams = [stream(), stream()];
    const started = Date.now();
    const times: number[] = [];
    await Promise.all([1, 2, 3].map(() => background.query('select 1').then(() => times.push(Date.now() - started))));
    stop = true;
    await Promise.all(streams);
    expect(times).toHaveLength(3);
    // One after another, each after about one wait (and a statement): neither all at once nor starved.
    expect(times[0]).toBeGreaterThanOrEqual(90);
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(180);
    expect(times[2]).toBeLessThan(2_000);
  });

  it('gives background statements their errors and goes on', async () => {
    const { background } = queryLanes(db, 50);
    await expect(background.query('select * from no_such_table')).rejects.toThrow(/no_such_table/);
    expect((await background.query<{ n: number }>('select 2 as n')).rows).toEqual([{ n: 2 }]);
  });
});
