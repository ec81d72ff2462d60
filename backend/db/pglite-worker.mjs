// The embedded database's own thread: owns the PGlite instance and answers the main thread's query/exec/close messages,
// so PostgreSQL's CPU work runs beside the HTTP handling instead of on the same thread. Plain JavaScript, so that it
// loads the same way under tsx, vitest and node. See embedded-database.ts for the other side.
import { parentPort, workerData } from 'node:worker_threads';
import { openPGlite } from './pglite-template.mjs';

/** An error as plain data (message, and PostgreSQL's fields such as code, detail, hint), to be rebuilt on the other side. */
function errorData(error) {
  if (!(error instanceof Error)) return { message: String(error) };
  const data = { name: error.name, message: error.message };
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) data[key] = value;
  }
  return data;
}

let pg;
try {
  pg = await openPGlite(workerData.dataDir ?? null);
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ ready: false, error: errorData(error) });
}

// PGlite runs one statement at a time; messages are taken in order and each answered when its statement is done.
parentPort.on('message', async (message) => {
  const { id, op, sql, params } = message;
  try {
    if (op === 'query') {
      const result = await pg.query(sql, params);
      parentPort.postMessage({ id, ok: true, rows: result.rows });
    } else if (op === 'exec') {
      await pg.exec(sql);
      parentPort.postMessage({ id, ok: true });
    } else if (op === 'close') {
      await pg.close();
      parentPort.postMessage({ id, ok: true });
      parentPort.close();
    } else {
      throw new Error(`Unknown operation ${String(op)}`);
    }
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: errorData(error) });
  }
});
