// Serves the demo CRM page at /demo, so a new user has something to click right away.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';

const PAGE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'demo-crm.html');

export function mountDemoPage(app: Hono): void {
  app.get('/demo', async (c) => c.html(await readFile(PAGE, 'utf8')));
}
