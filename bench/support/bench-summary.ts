// The convention every bench follows: print its figures, and write test-results/bench-<name>.json for `npm run bench`.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');

export interface BenchFigure {
  /** What was measured, e.g. "webhooks requests/s". */
  label: string;
  value: number;
  unit: string;
  /** The same figure for the baseline measured in the same run, when there is one. */
  baseline?: number;
  /** The target, in words such as ">= 3000" or "<= 25". */
  target?: string;
  pass?: boolean;
}

export interface BenchSummary {
  name: string;
  ok: boolean;
  startedAt: string;
  seconds: number;
  figures: BenchFigure[];
  notes?: string[];
}

export async function writeBenchSummary(summary: BenchSummary): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `bench-${summary.name}.json`);
  await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
  return file;
}
