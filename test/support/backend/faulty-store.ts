// Wraps a real CallStore so a test can make chosen methods fail or stall on command (fault injection without a mock).
import type { CallStore } from '../../../backend/store/call-store.js';

type Method = Exclude<keyof CallStore, 'close'>;

export interface FaultyStore {
  store: CallStore;
  /** The next `times` calls of `method` throw before reaching the database. */
  failNext(method: Method, times?: number): void;
  /** The next `times` calls of `method` reach the database, then take `ms` longer to return. */
  delayNext(method: Method, ms: number, times?: number): void;
  /** How many calls of `method` reached the real store. */
  calls(method: Method): number;
}

export class InjectedStoreFault extends Error {
  override name = 'InjectedStoreFault';
}

export function faultyStore(real: CallStore): FaultyStore {
  const failures = new Map<string, number>();
  const delays = new Map<string, Array<number>>();
  const counts = new Map<string, number>();
  const wrapped = new Proxy(real, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'close') return value;
      const name = String(prop);
      return async (...args: unknown[]) => {
        const left = failures.get(name) ?? 0;
        if (left > 0) {
          failures.set(name, left - 1);
          throw new InjectedStoreFault(`injected failure of ${name}`);
        }
        counts.set(name, (counts.get(name) ?? 0) + 1);
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        const delay = delays.get(name)?.shift();
        if (delay) await new Promise((r) => setTimeout(r, delay));
        return result;
      };
    },
  });
  return {
    store: wrapped,
    failNext: (method, times = 1) => void failures.set(method, (failures.get(method) ?? 0) + times),
    delayNext: (method, ms, times = 1) => void delays.set(method, [...(delays.get(method) ?? []), ...Array<number>(times).fill(ms)]),
    calls: (method) => counts.get(method) ?? 0,
  };
}
