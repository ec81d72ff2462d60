// The detection core's timing for bench:detect: our detector and libphonenumber-js's on the same deterministic samples.
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { detectPhoneNumbers } from '../shared/phone/detect.js';
import { clearValidationCache } from '../shared/phone/validate.js';
import { denseTableText, proseText } from './detect-texts.js';

/** The samples, and how much of each libphonenumber-js reads (it is 20-50x slower: a slice keeps the run short). */
export const CORE_SAMPLES = {
  dense: { label: 'dense contact table', make: () => denseTableText(2_000_000), theirBytes: 200_000 },
  prose: { label: 'sparse prose', make: () => proseText(4_000_000), theirBytes: 1_000_000 },
} as const;
export type CoreSampleName = keyof typeof CORE_SAMPLES;

export function coreSample(name: CoreSampleName): { text: string; expected: string[] } {
  return CORE_SAMPLES[name].make();
}

function mbPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export interface Throughput {
  /** Median MB/s of the timed runs, after the warm-up. */
  mbs: number;
  /** MB/s of the very first run, before the engine had compiled anything for this text. */
  coldMbs: number;
  found: number;
  /** Every timed run's MB/s. */
  speeds: number[];
}

/** Warm-up time each detector gets before its timed runs (at least one run): the same budget for both. */
const WARM_UP_MS = 300;

/**
 * Times `detect` over `text`: the first run is kept apart as the cold figure, more untimed runs follow until WARM_UP_MS
 * have passed, then `runs` timed runs give the median. The warm-up is by time, the same for both detectors: after one
 * warm-up run our 4 MB scan (a few ms) was still being compiled by the JIT, while libphonenumber-js's slower runs had
 * already given it that time, and the median measured how soon each was compiled rather than its speed.
 */
function timeDetector(detect: (text: string) => number, text: string, runs: number, beforeEach: () => void = () => {}): Throughput {
  const timed = (): number => {
    beforeEach();
    const t = performance.now();
    detect(text);
    return mbPerSecond(text.length, performance.now() - t);
  };
  const warmUpStart = performance.now();
  const coldMbs = timed();
  while (performance.now() - warmUpStart < WARM_UP_MS) timed();
  const speeds: number[] = [];
  for (let i = 0; i < runs; i++) speeds.push(timed());
  return { mbs: median(speeds), coldMbs, found: detect(text), speeds };
}

// Every run validates cold: no help from the previous run's answers.
export const timeOurs = (text: string, runs: number): Throughput => timeDetector((t) => detectPhoneNumbers(t).length, text, runs, clearValidationCache);
export const timeLibphonenumber = (text: string, runs: number): Throughput => timeDetector((t) => findPhoneNumbersInText(t, 'US').length, text, runs);

