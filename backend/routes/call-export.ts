// GET /api/calls/export: the organization's history as CSV (filters: days, agent, outcome), streamed batch by batch.
import { stringify } from 'csv-stringify/sync';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { callExportQuerySchema, type Call } from '../../shared/api.js';
import type { AppDeps } from '../app.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';
import { validate } from '../http/validation.js';
import type { CallCursor, CallExportFilter } from '../store/call-store.js';

const BATCH = 500;

/**
 * A cell a spreadsheet will not run: text starting with = + - @ (or a tab or carriage return, which some read past)
 * gets a leading apostrophe, so "=HYPERLINK(...)" from a page title stays text (OWASP's CSV injection advice).
 */
function safeCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const COLUMNS: Array<[header: string, cell: (c: Call) => string | number | null | undefined]> = [
  ['call_id', (c) => c.id],
  ['created_at', (c) => c.createdAt],
  ['direction', (c) => c.direction],
  ['status', (c) => c.status],
  ['agent', (c) => c.agentName],
  ['from_number', (c) => c.fromNumber],
  ['to_number', (c) => c.toNumber],
  ['contact_name', (c) => c.contactName],
  ['page_title', (c) => c.pageTitle],
  ['page_url', (c) => c.pageUrl],
  ['answered_at', (c) => c.answeredAt],
  ['ended_at', (c) => c.endedAt],
  ['duration_seconds', (c) => c.duration],
  ['outcome', (c) => c.wrapUp?.outcomeLabel],
  ['notes', (c) => c.wrapUp?.notes],
  ['follow_up_on', (c) => c.wrapUp?.followUpOn],
  ['wrapped_up_by', (c) => c.wrapUp?.writtenByName],
  ['wrapped_up_at', (c) => c.wrapUp?.updatedAt],
  ['error', (c) => c.errorMessage],
];

function csvRows(calls: Call[], header: boolean): string {
  return stringify(calls.map((call) => COLUMNS.map(([, cell]) => safeCell(cell(call)))), {
    header,
    columns: COLUMNS.map(([name]) => name),
    record_delimiter: 'windows',
  });
}

const DAY_MS = 86_400_000;

export function callExportRoutes({ auth, store, logger, clock }: AppDeps) {
  return new Hono<AgentEnv>().get('/', requireAgent(auth, store), validate('query', callExportQuerySchema), (c) => {
    const q = c.req.valid('query');
    const agent = c.get('agent');
    const filter: CallExportFilter = {
      from: q.from ? new Date(`${q.from}T00:00:00Z`) : null,
      // The last day counts whole.
      to: q.to ? new Date(new Date(`${q.to}T00:00:00Z`).getTime() + DAY_MS) : null,
      agentId: q.agent ?? null,
      outcomeId: q.outcome ?? null,
    };
    const day = clock.now().toISOString().slice(0, 10);
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="calls-${day}.csv"`);
    c.header('cache-control', 'no-store');
    return stream(c, async (out) => {
      let before: CallCursor | null = null;
      let rows = 0;
      let first = true;
      for (;;) {
        const { calls, rawCreatedAt } = await store.exportCalls(agent.organizationId, filter, BATCH, before);
        if (first || calls.length > 0) await out.write(csvRows(calls, first));
        first = false;
        rows += calls.length;
        const last = calls.at(-1);
        if (calls.length < BATCH || !last || out.aborted) break;
        before = { createdAt: rawCreatedAt.at(-1)!, id: last.id };
      }
      logger.info('calls.exported', { agentId: agent.id, rows });
    });
  });
}
