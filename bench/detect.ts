// npm run bench:detect — detection throughput beside libphonenumber-js, page-level P/R/F1, and the Chromium page benchmark.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { detectPhoneNumbers } from '../shared/phone/detect.js';
import { clearValidationCache } from '../shared/phone/validate.js';
import { scoreDirectory, type Score } from './detect-pages.js';
import { denseTableText, proseText } from './detect-texts.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function mbPerSecond(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeOurs(text: string, runs: number): { mbs: number; found: number } {
  const speeds: number[] = [];
  let found = 0;
  for (let i = 0; i < runs; i++) {
    clearValidationCache(); // every run validates cold: no help from the previous run's answers
    const t = performance.now();
    found = detectPhoneNumbers(text).length;
    speeds.push(mbPerSecond(text.length, performance.now() - t));
  }
  return { mbs: median(speeds), found };
}

function timeLibphonenumber(text: string): { mbs: number; found: number } {
  const t = performance.now();
  const found = findPhoneNumbersInText(text, 'US').length;
  return { mbs: mbPerSecond(text.length, performance.now() - t), found };
}

function recallOf(found: string[], expected: string[]): string {
  const got = new Set(found);
  return `${expected.filter((e) => got.has(e)).length}/${expected.length}`;
}

function core(): void {
  console.log('\n== Detection core throughput (node, same run, median of 5; libphonenumber-js on a slice) ==');
  const rows: Record<string, string>[] = [];
  for (const [name, sample, lpnBytes] of [
    ['dense contact table', denseTableText(2_000_000), 200_000],
    ['sparse prose', proseText(4_000_000), 1_000_000],
  ] as const) {
    const ours = timeOurs(sample.text, 5);
    const slice = sample.text.slice(0, lpnBytes);
    const theirs = timeLibphonenumber(slice);
    const oursFound = detectPhoneNumbers(sample.text).map((m) => m.e164);
    rows.push({
      text: name,
      'size MB': (sample.text.length / 1e6).toFixed(1),
      'detect MB/s': ours.mbs.toFixed(1),
      'findPhoneNumbersInText MB/s': theirs.mbs.toFixed(2),
      speed_up: `${(ours.mbs / theirs.mbs).toFixed(0)}x`,
      'our recall': recallOf(oursFound, sample.expected),
      'our extra': String(oursFound.length - sample.expected.length),
    });
  }
  console.table(rows);
}

function scoreRow(name: string, what: string, s: Score): Record<string, string> {
  return { set: name, detector: what, P: s.precision.toFixed(3), R: s.recall.toFixed(3), F1: s.f1.toFixed(3), tp: String(s.tp), fp: String(s.fp), fn: String(s.fn) };
}

function labelledSets(): [string, string][] {
  const sets: [string, string][] = [['fixtures', path.join(repoRoot, 'test/fixtures/pages')]];
  const corpus = path.resolve(repoRoot, '../shared/corpus');
  if (existsSync(path.join(corpus, 'expected.json'))) sets.push(['../shared/corpus', corpus]);
  else console.log(`(skipped ../shared/corpus: not found at ${corpus})`);
  return sets;
}

async function main(): Promise<void> {
  core();
  const sets = labelledSets();
  const rows: Record<string, string>[] = [];
  const details: string[] = [];
  for (const [name, dir] of sets) {
    const { ours, baseline } = await scoreDirectory(dir);
    rows.push(scoreRow(name, 'content script in jsdom', ours));
    rows.push(scoreRow(name, 'findPhoneNumbersInText(textContent)', baseline));
    for (const m of ours.misses) details.push(`  jsdom ${name}: ${m}`);
  }
  const { chromiumBench } = await import('./detect-chromium.js');
  const chromium = await chromiumBench(repoRoot, sets);
  for (const { name, score } of chromium?.scores ?? []) {
    rows.push(scoreRow(name, 'content script in Chromium (built extension)', score));
    for (const m of score.misses) details.push(`  Chromium ${name}: ${m}`);
  }
  console.log('\n== Page-level precision / recall / F1 (jsdom: DOM layer with page scripts run; Chromium: asked through the service worker) ==');
  console.table(rows.sort((a, b) => a.set!.localeCompare(b.set!)));
  if (details.length) console.log(`Content script errors:\n${details.join('\n')}`);
}

await main();
