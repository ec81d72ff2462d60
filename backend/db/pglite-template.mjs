// A freshly initialised PGlite cluster kept as a template (made once, at npm install), so that a new embedded database
// starts from a copy instead of running initdb: about 0.6 s instead of 2 s on these machines. Plain JavaScript, shared
// by the worker thread and the inline path, and runnable as the install step: `node backend/db/pglite-template.mjs`.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** One template per PGlite version: a template from another version is never used. */
export function templatePath() {
  // PGlite's package.json is not in its exports, so it is read from where npm installed it.
  const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/@electric-sql/pglite/package.json'), 'utf8'));
  return path.join(repoRoot, 'node_modules/.cache/click-to-call', `pglite-${version}-cluster.tar.gz`);
}

/**
 * The template's tar archive, or null when it is missing or damaged. It is unpacked here, not by PGlite: gunzip checks
 * the archive's CRC, and PGlite's own decompression of a damaged file leaves rejections nobody handles, which would stop
 * the server.
 */
async function readTemplate(templateFile) {
  try {
    const tar = await promisify(gunzip)(await readFile(templateFile ?? templatePath()));
    // A tar archive's first header says "ustar" at offset 257.
    return tar.subarray(257, 262).toString('latin1') === 'ustar' ? tar : null;
  } catch {
    return null;
  }
}

/**
 * Opens PGlite at dataDir (null: in memory), copying the template into a new database when there is one.
 * `templateFile` is for tests; a missing or damaged template means initdb, as if there were none.
 */
export async function openPGlite(dataDir, templateFile) {
  const isNew = !dataDir || !existsSync(path.join(dataDir, 'PG_VERSION'));
  const template = isNew ? await readTemplate(templateFile) : null;
  if (template) {
    try {
      return await PGlite.create({ ...(dataDir ? { dataDir } : {}), loadDataDir: new Blob([template]) });
    } catch {
      // Copied only in part: start again empty (the folder held no database before), then initdb below.
      if (dataDir) {
        await rm(dataDir, { recursive: true, force: true });
        await mkdir(dataDir, { recursive: true });
      }
    }
  }
  return PGlite.create(dataDir ? { dataDir } : {});
}

/** Makes the template if it is missing. Never fails the install: without a template, new databases just take longer. */
export async function prepareTemplate() {
  const file = templatePath();
  if (existsSync(file)) return false;
  const pg = await PGlite.create();
  const dump = await pg.dumpDataDir('gzip');
  await pg.close();
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
  await rename(partial, file);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  prepareTemplate()
    .then((made) => made && process.stdout.write(`Prepared the embedded database template in ${path.relative(process.cwd(), templatePath())}\n`))
    .catch((error) => process.stderr.write(`Could not prepare the embedded database template (new databases will start slower): ${error.message}\n`));
}
