// Scores the DOM layer on labelled pages (precision, recall, F1) by running the content script over each page in jsdom.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { startContentScript } from '../extension/content/content-script.js';

export interface Labelled {
  defaultCountry: string;
  pages: Record<string, string[]>;
}

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
  misses: string[];
}

export function score(results: Record<string, string[]>, labelled: Labelled): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const misses: string[] = [];
  for (const [page, expected] of Object.entries(labelled.pages)) {
    const got = new Set(results[page] ?? []);
    const want = new Set(expected);
    for (const n of got) {
      if (want.has(n)) tp++;
      else {
        fp++;
        misses.push(`${page}: extra ${n}`);
      }
    }
    for (const n of want) {
      if (!got.has(n)) {
        fn++;
        misses.push(`${page}: missed ${n}`);
      }
    }
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision, recall, f1, misses };
}

export async function readLabelled(dir: string): Promise<Labelled> {
  return JSON.parse(await readFile(path.join(dir, 'expected.json'), 'utf8')) as Labelled;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the content script's DOM layer over one page in jsdom (page scripts run) and returns the numbers it offers. */
export async function offeredInJsdom(html: string, name: string, defaultCountry: string): Promise<string[]> {
  const dom = new JSDOM(html, { runScripts: 'dangerously', pretendToBeVisual: true, url: `https://fixtures.test/${name}` });
  await sleep(700); // let the page's own timers (late elements) run
  let list: () => { e164: string }[] = () => [];
  const script = startContentScript({
    doc: dom.window.document,
    loadOptions: async () => ({ defaultCountry }),
    onOptionsChanged: () => {},
    sendDial: () => {},
    onListNumbers: (h) => (list = h),
  });
  // Until the first scan is over (jsdom is slow on a loaded machine: a fixed wait made the score flaky), then a little more.
  for (let waited = 0; !script.firstScanDone() && waited < 10_000; waited += 20) await sleep(20);
  await sleep(100);
  const numbers = list().map((n) => n.e164);
  script.scanner()?.stop();
  dom.window.close();
  return numbers;
}

/** libphonenumber-js findPhoneNumbersInText over the page's text, the baseline. */
export function baselineOnText(html: string, defaultCountry: string): string[] {
  const dom = new JSDOM(html);
  const text = dom.window.document.body?.textContent ?? '';
  dom.window.close();
  return [...new Set(findPhoneNumbersInText(text, defaultCountry as 'US').map((m) => m.number.number))];
}

export async function scoreDirectory(dir: string): Promise<{ ours: Score; baseline: Score }> {
  const labelled = await readLabelled(dir);
  const ours: Record<string, string[]> = {};
  const base: Record<string, string[]> = {};
  for (const page of Object.keys(labelled.pages)) {
    const html = await readFile(path.join(dir, page), 'utf8');
    ours[page] = await offeredInJsdom(html, page, labelled.defaultCountry);
    base[page] = baselineOnText(html, labelled.defaultCountry);
  }
  return { ours: score(ours, labelled), baseline: score(base, labelled) };
}
