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
  /** Median MB/s of the timed runs, after one untimed warm-up run. */
  mbs: number;
  /** MB/s of the very first run, before the engine had compiled anything for this text. */
  coldMbs: number;
  found: number;
  /** Every timed run's MB/s. */
  speeds: number[];
}

/**
 * Times `detect` over `text`: the first run is kept apart as the cold figure, then `runs` timed runs give the median.
 * Both detectors get the same treatment: without the warm-up, the median of a few runs measured how soon the JIT
 * compiled each one rather than its speed (our first runs on prose went 214, 235, then 493, 747 MB/s).
 */
function timeDetector(detect: (text: string) => number, text: string, runs: number, beforeEach: () => void = () => {}): Throughput {
  const speeds: number[] = [];
  let found = 0;
  let coldMbs = 0;
  for (let i = 0; i <= runs; i++) {
    beforeEach();
    const t = performance.now();
    found = detect(text);
    const mbs = mbPerSecond(text.length, performance.now() - t);
    if (i === 0) coldMbs = mbs;
    else speeds.push(mbs);
  }
  return { mbs: median(speeds), coldMbs, found, speeds };
}

// Every run validates cold: no help from the previous run's answers.
export const timeOurs = (text: string, runs: number): Throughput => timeDetector((t) => detectPhoneNumbers(t).length, text, runs, clearValidationCache);
export const timeLibphonenumber = (text: string, runs: number): Throughput => timeDetector((t) => findPhoneNumbersInText(t, 'US').length, text, runs);

