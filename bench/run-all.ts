// `npm run bench`: runs every bench:* script of package.json one after another, then prints one table from their test-results/bench-<name>.json.
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULTS_DIR, type BenchSummary } from './support/bench-summary.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function run(script: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

async function readSummary(name: string, since: number): Promise<BenchSummary | string> {
  const file = path.join(RESULTS_DIR, `bench-${name}.json`);
  try {
    if ((await stat(file)).mtimeMs < since) return `it did not write ${path.relative(root, file)} in this run`;
    return JSON.parse(await readFile(file, 'utf8')) as BenchSummary;
  } catch {
    return `it wrote no ${path.relative(root, file)} (each bench should write its figures there)`;
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i >= 2 && i <= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

async function main() {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const only = process.argv.slice(2);
  const scripts = Object.keys(pkg.scripts ?? {})
    .filter((s) => s.startsWith('bench:'))
    .filter((s) => only.length === 0 || only.includes(s.slice('bench:'.length)))
    .sort();
  if (scripts.length === 0) throw new Error('There is no bench:* script in package.json.');

  const rows: string[][] = [['bench', 'figure', 'value', 'baseline', 'target', 'result']];
  let allOk = true;
  for (const script of scripts) {
    const name = script.slice('bench:'.length);
    process.stdout.write(`\n=== npm run ${script} ===\n`);
    const started = Date.now();
    const code = await run(script);
    const summary = await readSummary(name, started);
    if (typeof summary === 'string') {
      allOk = false;
      rows.push([name, `exit ${code}; ${summary}`, '', '', '', 'no figures']);
      continue;
    }
    if (code !== 0 || !summary.ok) allOk = false;
    for (const f of summary.figures) {
      rows.push([
        name,
        f.label,
        `${f.value} ${f.unit}`,
        f.baseline === undefined ? '' : `${f.baseline} ${f.unit}`,
        f.target ?? '',
        f.pass === undefined ? '' : f.pass ? 'met' : 'NOT met',
      ]);
    }
    if (code !== 0) rows.push([name, `exited with code ${code}`, '', '', '', 'failed']);
  }
  process.stdout.write(`\n=== Benchmarks ===\n${table(rows)}\n`);
  process.exitCode = allOk ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
