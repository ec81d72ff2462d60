// `npm run bench:webhooks`: many calls' signed webhooks, shuffled and duplicated, against the backend in its own process; then proves nothing was lost.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openEmbeddedDatabase } from '../backend/db/embedded-database.js';
import { loadOrCreateSecrets } from '../backend/secrets.js';
import { addBulkAgents } from '../test/support/backend/bulk-agents.js';
import { startChildServer } from '../test/support/backend/child-process-server.js';
import { identityForAgent } from '../backend/twilio/agent-identity.js';
import { twilioSignature } from '../backend/twilio/request-signature.js';
import { adminCliToken } from '../backend/admin/admin-cli-token.js';
import { writeBenchSummary, type BenchFigure } from './support/bench-summary.js';
import { adminApi, lagFigures, startBenchReceivers } from './support/webhook-endpoints.js';
import { createLoadClient, figuresByRoute, type PreparedRequest, type RouteFigures } from './support/load-client.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
/**
 * Calls run first and not counted, as the baseline gets its warm-up: the server's first thousand or so requests after a
 * start run slower while V8 optimizes its code and PGlite's WebAssembly (the warm-up's own figures are printed too).
 */
const WARMUP_CALLS = Number(process.env.BENCH_WARMUP_CALLS ?? 1000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DUPLICATE_RATE = 0.3;
const DEADLINE_MS = 120_000;
const TARGET_RPS = 3000;
const TARGET_P99_MS = 25;
const PASSWORD = 'bench-password-1';
/** Connections that send half their headers and then nothing (slowloris), held open during the last phase. */
const SLOW_CLIENTS = Number(process.env.BENCH_SLOW_CLIENTS ?? 3000);
const SLOW_PHASE_CALLS = 500;
/** How long the slow webhook endpoints take to answer (outgoing webhooks phase). */
const SLOW_ENDPOINT_MS = Number(process.env.BENCH_SLOW_ENDPOINT_MS ?? 2000);
/** Rounds of each kind in the outgoing webhooks phase (without endpoints, fast endpoints, and a slow one beside them). */
const WEBHOOK_ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 4);

/** Deterministic, so every run sends the same shuffle. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const random = rng(7);
function shuffle<T>(list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}
/**
 * The load client collects its own garbage before each counted phase (npm run bench:webhooks exposes gc): building and
 * signing thousands of requests otherwise ends in a major collection of the client during the phase's first requests,
 * which would be timed as the server's latency.
 */
const gc = (globalThis as { gc?: () => void }).gc;
function settleClient(): void {
  gc?.();
}

const sid = () => `CA${randomBytes(16).toString('hex')}`;
const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

type Outcome = 'completed' | 'busy' | 'no-answer' | 'canceled' | 'failed';
const OUTCOMES: Outcome[] = ['completed', 'busy', 'no-answer', 'canceled', 'failed'];

interface BenchCall {
  agentId: string;
  callSid: string;
  childSid: string;
  to: string;
  outcome: Outcome;
  duration: number;
  answeredAt: Date | null;
  callId?: string;
  events: number;
}

function signed(route: string, base: string, pathAndQuery: string, form: Record<string, string>, authToken: string): PreparedRequest {
  return {
    route,
    path: pathAndQuery,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(authToken, `${base}${pathAndQuery}`, form),
    },
    body: new URLSearchParams(form).toString(),
  };
}

/** The callbacks Twilio sends for one call's outcome (progress events, then the <Dial action>). */
function callbacks(call: BenchCall, accountSid: string): Array<{ route: string; path: string; form: Record<string, string> }> {
  const t0 = new Date('2026-11-24T12:00:00Z');
  const at = (s: number) => rfc2822(new Date(t0.getTime() + s * 1000));
  const progress: Array<[string, number, Record<string, string>]> = [['initiated', 0, {}]];
  if (call.outcome !== 'failed') progress.push(['ringing', 1, {}]);
  if (call.outcome === 'completed') progress.push(['in-progress', 3, {}]);
  progress.push([call.outcome, 3 + call.duration, { CallDuration: String(call.duration) }]);
  const events = progress.map(([status, s, extra], seq) => ({
    route: 'outbound-events',
    path: `/api/twilio/outbound-events?callId=${call.callId}`,
    form: { AccountSid: accountSid, CallSid: call.childSid, ParentCallSid: call.callSid, CallStatus: status, SequenceNumber: String(seq), Timestamp: at(s), CallbackSource: 'call-progress-events', ...extra },
  }));
  const dial = {
    route: 'outbound-status',
    path: `/api/twilio/outbound-status?callId=${call.callId}`,
    form: { AccountSid: accountSid, CallSid: call.callSid, DialCallSid: call.childSid, DialCallStatus: call.outcome, DialCallDuration: String(call.duration), DialBridged: String(call.outcome === 'completed') },
  };
  return [...events, dial];
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

const fmt = (f: RouteFigures) => [f.route, String(f.requests), f.perSecond.toFixed(0), f.p50.toFixed(2), f.p99.toFixed(2), String(f.non2xx)];

async function main() {
  const startedAt = new Date();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'c2c-bench-'));
  const servers: Array<{ stop(): Promise<unknown> }> = [];
  try {
    process.stdout.write(`Webhook benchmark: ${CALLS} calls after ${WARMUP_CALLS} warm-up calls, ${CONNECTIONS} keep-alive connections for the whole run, ${Math.round(DUPLICATE_RATE * 100)}% of callbacks duplicated, all shuffled.\n`);
    if (!gc) process.stdout.write('Note: run through `npm run bench:webhooks` (node --expose-gc), or the load client\'s own garbage collection is timed as server latency.\n');
    const secrets = await loadOrCreateSecrets(dataDir);
    const agents = await addBulkAgents(dataDir, CALLS + WARMUP_CALLS, { password: PASSWORD, perOrganization: 50, prefix: 'bench' });

    // Baseline: a bare Hono route in its own process, same client, same connections, same body sizes.
    const bare = await startChildServer('bench/support/bare-hono-server.ts', {}, { ready: /Bare Hono ready at (http:\/\/\S+)/ });
    servers.push(bare);
    const sampleBody = new URLSearchParams({ AccountSid: secrets.simAccountSid, CallSid: sid(), CallStatus: 'ringing', SequenceNumber: '1', Timestamp: rfc2822(new Date()) }).toString();
    const bareRequests: PreparedRequest[] = Array.from({ length: 20_000 }, () => ({ route: 'bare Hono (baseline)', path: '/bare', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: sampleBody }));
    // Warmed with about as many requests as the webhooks' warm-up sends.
    const bareClient = createLoadClient(bare.url, CONNECTIONS);
    await bareClient.run(bareRequests.slice(0, Math.min(bareRequests.length, 7 * WARMUP_CALLS)), { deadlineMs: DEADLINE_MS });
    settleClient();
    const bareRun = await bareClient.run(bareRequests, { deadlineMs: DEADLINE_MS });
    await bareClient.close();
    await bare.stop();

    const server = await startChildServer('backend/main.ts', { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_PASSWORD: PASSWORD, RATE_LIMIT_CALLS: '1000' }, {
      // BENCH_CPU_PROF=<dir> writes the server's CPU profile there (node --cpu-prof), to see where the time goes.
      nodeArgs: process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [],
    });
    servers.push(server);
    const base = server.url;
    const client = createLoadClient(base, CONNECTIONS);
    const accountSid = secrets.simAccountSid;

    const calls: BenchCall[] = agents.map((agentId, i) => {
      const outcome = OUTCOMES[i % OUTCOMES.length]!;
      const duration = outcome === 'completed' ? 5 + (i % 120) : 0;
      return { agentId, callSid: sid(), childSid: sid(), to: `+1415555${String(1000 + (i % 9000)).padStart(4, '0')}`, outcome, duration, answeredAt: outcome === 'completed' ? new Date('2026-11-24T12:00:03Z') : null, events: 0 };
    });
    /** Phase 1: every call's Voice URL request (the TwiML App), as the Voice SDK's connect() causes it. */
    const placeAll = async (batch: BenchCall[]) => {
      const voice = batch.map((c) =>
        signed('outbound (Voice URL)', base, '/api/twilio/outbound', { AccountSid: accountSid, ApplicationSid: secrets.simTwimlAppSid, CallSid: c.callSid, From: `client:${identityForAgent(c.agentId)}`, To: c.to, Direction: 'inbound', ApiVersion: '2010-04-01' }, secrets.simAuthToken),
      );
      settleClient();
      const run = await client.run(voice, { deadlineMs: DEADLINE_MS });
      for (const r of run.results) batch[r.index]!.callId = /callId=([0-9a-f-]{36})/.exec(r.body)?.[1];
      return run;
    };
    /** Phase 2: every callback of every call, duplicated as Twilio's retries would, in one shuffled stream. */
    const callbackStream = (batch: BenchCall[]) => {
      const stream: PreparedRequest[] = [];
      for (const call of batch.filter((c) => c.callId)) {
        const cbs = callbacks(call, accountSid);
        call.events = cbs.length;
        for (const cb of cbs) {
          const req = signed(cb.route, base, cb.path, cb.form, secrets.simAuthToken);
          stream.push(req);
          while (random() < DUPLICATE_RATE) stream.push(req);
        }
      }
      return shuffle(stream);
    };

    const warm = calls.slice(CALLS);
    const warmVoice = await placeAll(warm);
    const warmCallbacks = await client.run(callbackStream(warm), { deadlineMs: DEADLINE_MS });
    const warmFig = figuresByRoute([...warmVoice.results, ...warmCallbacks.results], warmVoice.seconds + warmCallbacks.seconds).find((f) => f.route === 'all')!;
    process.stdout.write(`Warm-up (not counted): ${warmFig.requests} requests, ${warmFig.perSecond.toFixed(0)} req/s, p50 ${warmFig.p50.toFixed(2)} ms, p99 ${warmFig.p99.toFixed(2)} ms.\n`);

    const measured = calls.slice(0, CALLS);
    const voiceRun = await placeAll(measured);
    const placed = measured.filter((c) => c.callId);
    const stream = callbackStream(measured);
    settleClient();
    const callbackRun = await client.run(stream, { deadlineMs: DEADLINE_MS });

    /**
     * Phase 3: new Voice URL requests, first alone, then while SLOW_CLIENTS connections hold half-sent headers (as a
     * flood of browser-side connections would): webhooks must still be answered, and about as fast.
     */
    const again = (batch: BenchCall[]) => batch.map((c) => ({ ...c, callSid: sid() }));
    const quietRun = await placeAll(again(calls.slice(0, SLOW_PHASE_CALLS)));
    const { hostname, port } = new URL(base);
    const slow: Socket[] = await Promise.all(
      Array.from({ length: SLOW_CLIENTS }, () => new Promise<Socket>((resolve) => {
        const s = connect(Number(port), hostname, () => {
          s.write('GET /api/calls HTTP/1.1\r\nHost: bench\r\nX-Slow: ');
          resolve(s);
        });
        s.on('error', () => resolve(s));
        s.resume();
      })),
    );
    const slowRun = await placeAll(again(calls.slice(SLOW_PHASE_CALLS, 2 * SLOW_PHASE_CALLS)));
    const slowStillOpen = slow.filter((s) => !s.destroyed && s.readyState === 'open').length;
    for (const s of slow) s.destroy();

    // Phase 4: the same again while 200 wrong sign-ins arrive at once (scrypt at N = 2^17 is 0.4 s and 128 MiB each).
    const logins = Array.from({ length: 200 }, (_, i) =>
      fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `bench${(i % 40) + 1}@bulk.test`, password: 'wrong password' }) })
        .then((r) => r.status, () => 0),
    );
    const floodRun = await placeAll(again(calls.slice(2 * SLOW_PHASE_CALLS, 3 * SLOW_PHASE_CALLS)));
    const loginStatuses = await Promise.all(logins);
    const loginCounts = new Map<number, number>();
    for (const st of loginStatuses) loginCounts.set(st, (loginCounts.get(st) ?? 0) + 1);

    /**
     * Phase 5: outgoing webhooks. Whole calls (Voice URL and shuffled, duplicated callbacks) in alternating rounds of three
     * kinds: without endpoints (the baseline), with an endpoint in every organization answering at once (the cost of
     * the outbox itself), and the same with a slow endpoint (answering after SLOW_ENDPOINT_MS) beside the fast one of the
     * organization whose calls open the round. The slow endpoint's cost is the difference between the last two.
     */
    // The agents phases 3 and 4 left on a call are not used again (calls lists the measured calls, then the warm-up's).
    const pool = calls.slice(3 * SLOW_PHASE_CALLS);
    type Mode = 'off' | 'fast' | 'slow';
    // Interleaved, so that whatever else the machine does meanwhile falls on every kind alike.
    const modes = Array.from({ length: WEBHOOK_ROUNDS }, () => ['off', 'fast', 'slow'] as const).flat();
    const perRound = Math.floor(pool.length / modes.length);
    const receivers = await startBenchReceivers(SLOW_ENDPOINT_MS);
    const admin = adminApi(base, adminCliToken(secrets.jwtSecret));
    const organizations = Array.from({ length: Math.ceil((CALLS + WARMUP_CALLS) / 50) }, (_, i) => `bench team ${i + 1}`);
    const orgOf = (call: BenchCall) => organizations[Math.floor(calls.indexOf(call) / 50)]!;
    // The organizations whose calls open each slow round: a slow endpoint each, beside their fast one.
    const slowOrgs = new Set(modes.flatMap((m, i) => (m === 'slow' ? [orgOf(pool[i * perRound]!)] : [])));
    const fastIds: Array<[string, string]> = [];
    const slowIds: Array<[string, string]> = [];
    for (const [i, org] of organizations.entries()) {
      const { endpoint } = await admin<{ endpoint: { id: string } }>(org, 'POST', '', { url: `${receivers.url}/${slowOrgs.has(org) ? 'fast' : 'ok'}/${i + 1}` });
      fastIds.push([org, endpoint.id]);
      if (slowOrgs.has(org)) slowIds.push([org, (await admin<{ endpoint: { id: string } }>(org, 'POST', '', { url: `${receivers.url}/slow/${i + 1}` })).endpoint.id]);
    }
    const switchEndpoints = (ids: Array<[string, string]>, enabled: boolean) => Promise.all(ids.map(([org, id]) => admin(org, 'POST', `/${id}/enabled`, { enabled })));
    const rounds: Record<Mode, Array<{ results: typeof voiceRun.results; seconds: number; unsent: number; from: number; to: number }>> = { off: [], fast: [], slow: [] };
    let slowAtEnd = 0;
    for (const [i, mode] of modes.entries()) {
      await switchEndpoints(fastIds, mode !== 'off');
      // One slow endpoint at a time: the one beside the organization calling first in this round (the others' backlogs wait).
      const slowNow = mode === 'slow' ? slowIds.filter(([org]) => org === orgOf(pool[i * perRound]!)) : [];
      await switchEndpoints(slowIds.filter((s) => !slowNow.includes(s)), false);
      await switchEndpoints(slowNow, true);
      const batch = again(pool.slice(i * perRound, (i + 1) * perRound));
      const from = Date.now();
      const voice = await placeAll(batch);
      const cbs = callbackStream(batch);
      settleClient();
      const cbRun = await client.run(cbs, { deadlineMs: DEADLINE_MS });
      rounds[mode].push({ results: [...voice.results, ...cbRun.results], seconds: voice.seconds + cbRun.seconds, unsent: voice.unsent + cbRun.unsent, from, to: Date.now() });
      // Before the next round, the fast endpoints catch up with this one's events (the slow one never does): each round
      // starts with the worker idle but for the slow endpoint, and a delivery's lag belongs to its own round.
      if (mode !== 'off') {
        const due = async () => {
          const lists = await Promise.all(fastIds.map(([org, id]) => admin<{ deliveries: Array<{ state: string }> }>(org, 'GET', `/deliveries?endpointId=${id}&limit=200`)));
          return lists.reduce((n, l) => n + l.deliveries.filter((d) => d.state === 'pending').length, 0);
        };
        for (const until = Date.now() + 60_000; (await due()) > 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 250));
      }
      if (mode === 'slow') slowAtEnd = receivers.counts.slow;
    }
    await switchEndpoints([...fastIds, ...slowIds], false);
    await receivers.close();
    const roundFigures = (mode: Mode) => {
      const rs = rounds[mode];
      return { ...figuresByRoute(rs.flatMap((r) => r.results), rs.reduce((n, r) => n + r.seconds, 0)).find((f) => f.route === 'all')!, unsent: rs.reduce((n, r) => n + r.unsent, 0) };
    };
    const hooksOff = roundFigures('off');
    const hooksFast = roundFigures('fast');
    const hooksSlow = roundFigures('slow');
    /** The lags of the events a mode's rounds caused, from the endpoints answering at once (kind: all of them, or only those beside a slow one). */
    const lagsOf = (mode: Mode, kind?: 'fast') =>
      lagFigures(receivers.lags.filter((l) => (!kind || l.kind === kind) && rounds[mode].some((r) => l.eventAt >= r.from - 1000 && l.eventAt <= r.to)).map((l) => l.lag));
    const lagFast = lagsOf('fast');
    const lagSlow = lagsOf('slow');
    const lagBeside = lagsOf('slow', 'fast');
    await client.close();
    await server.stop();

    // Proof: open the database the server wrote and compare every call with what its events say.
    const db = await openEmbeddedDatabase(dataDir);
    const { rows } = await db.query<{ twilio_call_sid: string; status: string; duration: number | null; answered_at: Date | null; ended_at: Date | null; events: number }>(
      `select c.twilio_call_sid, c.status, c.duration, c.answered_at, c.ended_at,
         (select count(*)::int from public.call_events e where e.call_id = c.id) as events
       from public.calls c`,
    );
    await db.close();
    const bySid = new Map(rows.map((r) => [r.twilio_call_sid, r]));
    let lost = 0;
    let wrong = 0;
    const examples: string[] = [];
    for (const call of calls) {
      const row = bySid.get(call.callSid);
      if (!row || !call.callId) {
        lost++;
        continue;
      }
      const expectAnswered = call.answeredAt?.toISOString() ?? null;
      const gotAnswered = row.answered_at ? new Date(row.answered_at).toISOString() : null;
      const ok = row.status === call.outcome && row.duration === call.duration && gotAnswered === expectAnswered && row.ended_at !== null && row.events === call.events;
      if (!ok) {
        wrong++;
        if (examples.length < 3) examples.push(`${call.callSid}: expected ${call.outcome}/${call.duration}s/${call.events} events, got ${row.status}/${row.duration}s/${row.events} events`);
      }
    }

    const webhookResults = [...voiceRun.results, ...callbackRun.results];
    const webhookSeconds = voiceRun.seconds + callbackRun.seconds;
    // Each route's figures over its own phase; "all webhooks" over both phases together.
    const perRoute = [...figuresByRoute(voiceRun.results, voiceRun.seconds), ...figuresByRoute(callbackRun.results, callbackRun.seconds)].filter((f) => f.route !== 'all');
    const total = figuresByRoute(webhookResults, webhookSeconds).find((f) => f.route === 'all')!;
    const all = [...perRoute, total];
    const callbackAll = figuresByRoute(callbackRun.results, callbackRun.seconds).find((f) => f.route === 'all')!;
    const bareFig = figuresByRoute(bareRun.results, bareRun.seconds)[0]!;
    const unsent = voiceRun.unsent + callbackRun.unsent;

    process.stdout.write(`\n${table([
      ['route', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx'],
      ...all.filter((f) => f.route !== 'all').map(fmt),
      fmt({ ...total, route: 'all webhooks' }),
      fmt({ ...callbackAll, route: 'callbacks phase only' }),
      fmt(bareFig),
    ])}\n\n`);
    const quietFig = figuresByRoute(quietRun.results, quietRun.seconds).find((f) => f.route === 'all')!;
    const slowFig = figuresByRoute(slowRun.results, slowRun.seconds).find((f) => f.route === 'all')!;
    const floodFig = figuresByRoute(floodRun.results, floodRun.seconds).find((f) => f.route === 'all')!;
    process.stdout.write(`${table([
      ['Voice URL, new calls', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx'],
      fmt({ ...quietFig, route: 'alone' }),
      fmt({ ...slowFig, route: `with ${SLOW_CLIENTS} slow clients` }),
      fmt({ ...floodFig, route: 'with 200 wrong sign-ins' }),
    ])}\n(the 200 sign-ins were answered ${[...loginCounts].sort((a, b) => a[0] - b[0]).map(([st, n]) => `${n} × ${st}`).join(', ')})\n(${slowStillOpen} of the slow clients were still connected when the phase ended; HTTP_HEADERS_TIMEOUT_SECONDS cuts them off after 10 s.)\n\n`);
    const lagCell = (l: ReturnType<typeof lagFigures>) => `${l.count} received, lag p50 ${l.p50.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms, max ${l.max.toFixed(0)} ms`;
    process.stdout.write(`${table([
      ['Twilio\'s webhooks, whole calls', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx'],
      fmt({ ...hooksOff, route: 'no webhook endpoints (baseline)' }),
      fmt({ ...hooksFast, route: `an endpoint per org (${organizations.length}), all fast` }),
      fmt({ ...hooksSlow, route: `the same and a slow one (answers in ${SLOW_ENDPOINT_MS / 1000} s)` }),
    ])}\n(${modes.length} alternating rounds of ${perRound} calls each, ${WEBHOOK_ROUNDS} of each kind; the slow endpoints received ${slowAtEnd} deliveries during the slow rounds.)\n` +
      `Deliveries to the endpoints answering at once, from event to receipt:\n` +
      `  all fast (baseline):            ${lagCell(lagFast)}\n` +
      `  beside a slow endpoint, all:    ${lagCell(lagSlow)}\n` +
      `  the fast one in the slow's org: ${lagCell(lagBeside)}\n\n`);
    const rpsPass = total.perSecond >= TARGET_RPS;
    const p99Pass = total.p99 <= TARGET_P99_MS;
    const correct = lost === 0 && wrong === 0 && total.non2xx === 0 && unsent === 0 && slowFig.non2xx === 0 && slowRun.unsent === 0 && floodFig.non2xx === 0 && floodRun.unsent === 0 && [hooksOff, hooksFast, hooksSlow].every((h) => h.non2xx + h.unsent === 0);
    process.stdout.write(`Calls placed ${placed.length}/${CALLS} (and ${WARMUP_CALLS} warm-up calls, checked too); lost ${lost}; wrong ${wrong}; non-2xx answers ${total.non2xx}; not sent before the deadline ${unsent}.\n`);
    for (const e of examples) process.stdout.write(`  ${e}\n`);
    process.stdout.write(
      `Target: >= ${TARGET_RPS} webhook requests/s at p99 <= ${TARGET_P99_MS} ms, nothing lost or wrong: ` +
        `${total.perSecond.toFixed(0)} req/s (${rpsPass ? 'met' : 'NOT met'}), p99 ${total.p99.toFixed(1)} ms (${p99Pass ? 'met' : 'NOT met'}), ${correct ? 'nothing lost or wrong' : 'LOSSES OR ERRORS'}.\n` +
        `Bare Hono in the same run: ${bareFig.perSecond.toFixed(0)} req/s, p99 ${bareFig.p99.toFixed(1)} ms (webhooks at ${((100 * total.perSecond) / bareFig.perSecond).toFixed(1)}% of it).\n`,
    );

    const figures: BenchFigure[] = [
      { label: 'webhooks requests/s', value: Math.round(total.perSecond), unit: 'req/s', baseline: Math.round(bareFig.perSecond), target: `>= ${TARGET_RPS}`, pass: rpsPass },
      { label: 'webhooks p50', value: round(total.p50), unit: 'ms', baseline: round(bareFig.p50) },
      { label: 'webhooks p99', value: round(total.p99), unit: 'ms', baseline: round(bareFig.p99), target: `<= ${TARGET_P99_MS}`, pass: p99Pass },
      ...all.filter((f) => f.route !== 'all').flatMap((f) => [
        { label: `${f.route} requests/s`, value: Math.round(f.perSecond), unit: 'req/s' },
        { label: `${f.route} p99`, value: round(f.p99), unit: 'ms' },
      ]),
      { label: 'Voice URL p99, alone', value: round(quietFig.p99), unit: 'ms' },
      { label: `Voice URL p99, ${SLOW_CLIENTS} slow clients held`, value: round(slowFig.p99), unit: 'ms', pass: slowFig.non2xx + slowRun.unsent === 0 },
      { label: 'Voice URL p99, 200 wrong sign-ins at once', value: round(floodFig.p99), unit: 'ms', pass: floodFig.non2xx + floodRun.unsent === 0 },
      { label: 'Twilio webhooks p99, no webhook endpoints', value: round(hooksOff.p99), unit: 'ms' },
      { label: 'Twilio webhooks p99, an endpoint per organization', value: round(hooksFast.p99), unit: 'ms', baseline: round(hooksOff.p99) },
      { label: 'Twilio webhooks p99, an endpoint per organization and a slow one', value: round(hooksSlow.p99), unit: 'ms', baseline: round(hooksFast.p99), pass: hooksSlow.non2xx + hooksSlow.unsent === 0 },
      { label: 'Twilio webhooks req/s, an endpoint per organization', value: Math.round(hooksFast.perSecond), unit: 'req/s', baseline: Math.round(hooksOff.perSecond) },
      { label: 'Twilio webhooks req/s, an endpoint per organization and a slow one', value: Math.round(hooksSlow.perSecond), unit: 'req/s', baseline: Math.round(hooksFast.perSecond) },
      { label: 'fast endpoints lag p99, beside a slow one', value: round(lagSlow.p99), unit: 'ms', baseline: round(lagFast.p99) },
      { label: 'fast endpoint in the slow one\'s organization, lag p99', value: round(lagBeside.p99), unit: 'ms', baseline: round(lagFast.p99) },
      { label: 'calls lost or wrong', value: lost + wrong, unit: 'calls', target: '= 0', pass: lost + wrong === 0 },
      { label: 'webhook answers not 2xx', value: total.non2xx + unsent, unit: 'requests', target: '= 0', pass: total.non2xx + unsent === 0 },
    ];
    const file = await writeBenchSummary({
      name: 'webhooks',
      ok: rpsPass && p99Pass && correct,
      startedAt: startedAt.toISOString(),
      seconds: round((Date.now() - startedAt.getTime()) / 1000),
      figures,
      notes: [
        `${CALLS} calls, ${stream.length} callbacks (${stream.length - placed.reduce((n, c) => n + c.events, 0)} duplicates), ${CONNECTIONS} connections, embedded database`,
        `after ${WARMUP_CALLS} warm-up calls, not counted: ${warmFig.requests} requests at ${warmFig.perSecond.toFixed(0)} req/s, p99 ${warmFig.p99.toFixed(1)} ms`,
      ],
    });
    process.stdout.write(`Summary written to ${path.relative(process.cwd(), file)}\n`);
    process.exitCode = correct ? 0 : 1;
  } finally {
    for (const s of servers) await s.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

main().catch((error: unknown) => {
  process.stderr.write(`The webhook benchmark failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
