// A local stand-in for Twilio's cloud as the Voice SDK 2.x reaches it: the signalling websocket (wss, a certificate made at
// start), access-token checks with Twilio's codes, each call's Twilio side through the backend's real signed webhooks (the
// simulator's outbound leg), calls to the team's numbers ringing the registered Devices (the simulator's inbound call, with
// the SDK's own invite/answer/reject/cancel), a pluggable far end for the media, and the SDK's other hosts (Insights,
// sounds, the REST API).
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import selfsigned from 'selfsigned';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { CallStatus } from '../../../shared/call-status.js';
import { silentLogger, type Logger } from '../../../backend/logger.js';
import { postSignedForm } from '../../../backend/sim/callback-poster.js';
import { newRecordingSid, startInboundCall, type InboundCallHandle, type InboundOutcome, type RingingLeg } from '../../../backend/sim/inbound-call.js';
import { newCallSid, runOutboundLeg } from '../../../backend/sim/outbound-leg.js';
import { generatedVoicemail } from '../../../backend/sim/voicemail-audio.js';
import { SIM_TIMING, type ScriptedOutcome } from '../../../backend/sim/scripted-outcome.js';
import { TokenRefused, verifyVoiceToken, type VerifiedToken } from './access-token.js';

export interface CloudCredentials {
  accountSid: string;
  authToken: string;
  apiKey: string;
  apiSecret: string;
  twimlAppSid: string;
}

/** Answers the browser's SDP offer with the far end's SDP; told when the call ends. */
export interface FarEnd {
  answer(callSid: string, offer: string): Promise<string>;
  hangUp(callSid: string): Promise<void>;
  /** A caller ringing the team's number: the offer sent to the agents' Devices, then the answering Device's SDP. */
  offer?(callSid: string): Promise<string>;
  accept?(callSid: string, answer: string): Promise<void>;
}

/** A far end with no media: no SDP in the ringing or the answer (a browser's call then rings but never opens its audio). */
export const signallingOnlyFarEnd: FarEnd = {
  answer: async () => '',
  hangUp: async () => undefined,
};

/** What the tests turn to make the cloud misbehave; every field can be changed while it runs. */
export interface CloudKnobs {
  /** Refuse every `listen` with this signalling code (31202, 31205, …) whatever the token. */
  rejectTokenCode: number | null;
  /** Answer websocket upgrades with 503 (signalling unreachable). */
  refuseSockets: boolean;
  /** Report this token lifetime (seconds) in `connected`, and treat the token as expired that long after it was presented. */
  tokenTtlSeconds: number | null;
  /** Timing of the far end, in ms of simulated time (scaled by timeScale). */
  timing: typeof SIM_TIMING;
  /** The far end's behaviour by the number dialled; defaults to the simulator's table. */
  outcome: ((e164: string) => ScriptedOutcome) | undefined;
  /** Take telephone-event out of the answer, so the SDK sends digits over signalling where they are recorded. */
  noInbandDtmf: boolean;
  /** How often the cloud sends its bare "\n" heartbeat (the SDK reconnects after 15 s of silence). */
  heartbeatMs: number;
}

export interface CloudCall {
  callSid: string;
  tempSid: string;
  identity: string;
  params: Record<string, string>;
  phase: 'connecting' | 'ringing' | 'in-progress' | 'ended';
  status: CallStatus | null;
  answeredAt: number | null;
  endedAt: number | null;
  digits: string;
  /** Who ended it: the agent's SDK (hangup) or the cloud (far end, refusal). */
  endedBy: 'agent' | 'cloud' | null;
  reconnectToken: string;
  /** When the invite came, and when the backend's TwiML answer to the Voice URL request came back (epoch ms). */
  invitedAt: number;
  twimlAt: number | null;
  done: Promise<CallStatus>;
}

export interface SignallingMessage {
  at: number;
  socket: number;
  direction: 'in' | 'out';
  type: string;
  payload: Record<string, unknown>;
}

interface Session {
  id: number;
  ws: WebSocket;
  token: VerifiedToken | null;
  tokenExpiresAt: number;
  reconnectTimeoutS: number;
  calls: Set<CloudCall>;
  /** Registered for incoming calls (`register` with audio). */
  registered: boolean;
}

/** A <Client> leg of a call to the team's number, ringing (or answered on) the Devices of one identity. */
export interface InboundLeg {
  sid: string;
  parentSid: string;
  identity: string;
  state: 'ringing' | 'answered' | 'declined' | 'canceled' | 'ended';
}

/** A call to one of the account's numbers, as the tests follow it. */
export interface CloudInboundCall {
  callSid: string;
  from: string;
  to: string;
  legs: InboundLeg[];
  status: CallStatus;
  answeredAt: number | null;
  endedAt: number | null;
  done: Promise<InboundOutcome>;
}

interface LiveCall extends CloudCall {
  session: Session | null;
  hangUp(): void;
  hungUp: boolean;
  answerSdp: Promise<string>;
  detachTimer: NodeJS.Timeout | null;
}

export interface TwilioCloudOptions {
  creds: CloudCredentials;
  /** The backend's Voice URL (the TwiML App's), e.g. http://127.0.0.1:PORT/twilio/outbound (or its old /api/twilio/outbound). */
  voiceUrl: string;
  farEnd?: FarEnd;
  /** 1 = Twilio's pace; tests run faster with less. */
  timeScale?: number;
  knobs?: Partial<CloudKnobs>;
  logger?: Logger;
  /** The account's phone numbers, as the REST API's IncomingPhoneNumbers list answers them. */
  phoneNumbers?: Array<{ sid: string; phoneNumber: string; friendlyName: string }>;
}

/** How long the refusal's <Say> plays before Twilio hangs up. */
const SAY_MS = 2000;
const PSTREAM_REGION = { region: 'us1', home: 'us1', edge: 'ashburn' };

export async function startTwilioCloud(options: TwilioCloudOptions) {
  const { creds } = options;
  const logger = options.logger ?? silentLogger;
  const farEnd = options.farEnd ?? signallingOnlyFarEnd;
  const scale = options.timeScale ?? 1;
  const knobs: CloudKnobs = {
    rejectTokenCode: null,
    refuseSockets: false,
    tokenTtlSeconds: null,
    timing: { ...SIM_TIMING },
    outcome: undefined,
    noInbandDtmf: false,
    heartbeatMs: 10_000,
    ...options.knobs,
  };
  const messages: SignallingMessage[] = [];
  const httpRequests: Array<{ at: number; host: string; method: string; path: string }> = [];
  const calls = new Map<string, LiveCall>();
  const sessions = new Set<Session>();
  const inboundCalls = new Map<string, CloudInboundCall>();
  /** The ringing <Client> legs by their CallSid, with the sessions they rang. */
  const inboundLegs = new Map<string, InboundLeg & { handle: InboundCallHandle; rang: Set<Session>; offer: Promise<string> }>();
  const recordings = new Map<string, Buffer>();
  const waiters = new Set<() => void>();
  let socketCount = 0;
  let refusedUpgrades = 0;
  /** The Host of each websocket upgrade: which edge the SDK chose. */
  const upgradeHosts: string[] = [];
  const changed = () => {
    for (const w of [...waiters]) w();
  };

  const pems = await selfsigned.generate([{ name: 'commonName', value: '*.twilio.com' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: '*.twilio.com' }, { type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  });
  const server: Server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => handleHttp(req, res));
  const wss = new WebSocketServer({ noServer: true });

  const send = (session: Session, type: string, payload: Record<string, unknown>) => {
    if (session.ws.readyState !== session.ws.OPEN) return;
    messages.push({ at: Date.now(), socket: session.id, direction: 'out', type, payload });
    session.ws.send(JSON.stringify({ type, payload }));
    changed();
  };
  const post = (url: string, form: Record<string, string>) =>
    postSignedForm(url, { AccountSid: creds.accountSid, ApiVersion: '2010-04-01', ...form }, creds.authToken, { retryDelayMs: 200 * scale });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    upgradeHosts.push((req.headers.host ?? '').replace(/:\d+$/, ''));
    if (knobs.refuseSockets) {
      refusedUpgrades++;
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      changed();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => openSession(ws));
  });

  function openSession(ws: WebSocket): void {
    const session: Session = { id: ++socketCount, ws, token: null, tokenExpiresAt: 0, reconnectTimeoutS: 0, calls: new Set(), registered: false };
    sessions.add(session);
    const heartbeat = setInterval(() => {
      if (ws.readyState === ws.OPEN) ws.send('\n');
    }, knobs.heartbeatMs);
    ws.on('message', (data: RawData) => {
      const text = data.toString();
      if (text === '\n') return;
      let message: { type?: string; payload?: Record<string, unknown> };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        return;
      }
      const type = String(message.type ?? '');
      const payload = message.payload ?? {};
      messages.push({ at: Date.now(), socket: session.id, direction: 'in', type, payload });
      changed();
      void handleMessage(session, type, payload).catch((error: unknown) => logger.warn('cloud.message-failed', { type, error: String(error) }));
    });
    ws.on('close', () => {
      clearInterval(heartbeat);
      sessions.delete(session);
      for (const call of session.calls) detach(call as LiveCall, session);
      changed();
    });
    ws.on('error', () => undefined);
  }

  /** A socket gone mid-call: Twilio keeps the call for the reconnect time the SDK asked for (maxCallSignalingTimeoutMs). */
  function detach(call: LiveCall, session: Session): void {
    if (call.session !== session || call.phase === 'ended') return;
    call.session = null;
    const keepS = session.reconnectTimeoutS;
    if (keepS <= 0 || call.phase !== 'in-progress') {
      call.endedBy ??= 'agent';
      call.hangUp();
      return;
    }
    call.detachTimer = setTimeout(() => {
      call.endedBy ??= 'agent';
      call.hangUp();
    }, keepS * 1000);
  }

  async function handleMessage(session: Session, type: string, payload: Record<string, unknown>): Promise<void> {
    switch (type) {
      case 'listen': {
        const token = String(payload.token ?? '');
        session.reconnectTimeoutS = Number(payload.reconnectTimeout ?? 0) || 0;
        try {
          if (knobs.rejectTokenCode !== null) throw new TokenRefused(knobs.rejectTokenCode, 'The access token was refused.');
          const verified = await verifyVoiceToken(token, creds);
          const realTtl = verified.exp - Math.floor(Date.now() / 1000);
          const ttl = knobs.tokenTtlSeconds === null ? realTtl : Math.min(realTtl, knobs.tokenTtlSeconds);
          session.token = verified;
          session.tokenExpiresAt = Date.now() + ttl * 1000;
          send(session, 'connected', { ...PSTREAM_REGION, token: { identity: verified.identity, ttl } });
        } catch (error) {
          const refused = error instanceof TokenRefused ? error : new TokenRefused(31204, 'Invalid Access Token');
          send(session, 'error', { error: { code: refused.code, message: refused.message } });
        }
        return;
      }
      case 'register': {
        if (!authorised(session)) return;
        const media = payload.media as { audio?: boolean } | undefined;
        session.registered = media?.audio === true;
        send(session, media?.audio ? 'ready' : 'offline', {});
        return;
      }
      case 'invite': {
        if (!authorised(session)) return;
        if (typeof payload.reconnect === 'string') return reattach(session, payload);
        return invite(session, payload);
      }
      case 'answer': {
        // The agent accepted a call to the team's number on this Device.
        const leg = inboundLegs.get(String(payload.callsid ?? ''));
        if (leg) answerInbound(session, leg, String(payload.sdp ?? ''));
        return;
      }
      case 'hangup':
      case 'reject': {
        const leg = inboundLegs.get(String(payload.callsid ?? ''));
        if (leg) {
          if (type === 'reject' || leg.state === 'ringing') leg.handle.decline(leg.sid);
          else leg.handle.hangUp(leg.sid);
          return;
        }
        const call = findCall(String(payload.callsid ?? ''));
        if (call && call.phase !== 'ended') {
          call.endedBy ??= 'agent';
          call.hangUp();
        }
        return;
      }
      case 'dtmf': {
        const call = findCall(String(payload.callsid ?? ''));
        if (call) call.digits += String(payload.dtmf ?? '');
        changed();
        return;
      }
      default:
        return;
    }
  }

  function authorised(session: Session): boolean {
    if (session.token && Date.now() < session.tokenExpiresAt) return true;
    const code = session.token ? 31205 : 31204;
    send(session, 'error', { error: { code, message: session.token ? 'Access Token expired or expiration date invalid' : 'Invalid Access Token' } });
    return false;
  }

  function findCall(sid: string): LiveCall | undefined {
    return calls.get(sid) ?? [...calls.values()].find((c) => c.tempSid === sid);
  }

  function reattach(session: Session, payload: Record<string, unknown>): void {
    const call = findCall(String(payload.callsid ?? ''));
    if (!call || call.phase === 'ended' || call.reconnectToken !== payload.reconnect) {
      send(session, 'hangup', { callsid: payload.callsid, error: { code: 31209, message: 'Reconnect attempt is not authorized.' } });
      return;
    }
    if (call.detachTimer) clearTimeout(call.detachTimer);
    call.detachTimer = null;
    call.session = session;
    session.calls.add(call);
    send(session, 'answer', { callsid: call.callSid, reconnect: call.reconnectToken });
  }

  function invite(session: Session, payload: Record<string, unknown>): void {
    const tempSid = String(payload.callsid ?? '');
    const twilio = (payload.twilio ?? {}) as { params?: string };
    const params = Object.fromEntries(new URLSearchParams(twilio.params ?? ''));
    const identity = session.token!.identity;
    if (session.token!.outgoingApplicationSid !== creds.twimlAppSid) {
      send(session, 'hangup', { callsid: tempSid, error: { code: 31002, message: 'The token allows no calls to this application.' } });
      return;
    }
    let hangUp!: () => void;
    const hangup = new Promise<void>((resolve) => (hangUp = resolve));
    const callSid = newCallSid();
    const offer = String(payload.sdp ?? '');
    const call: LiveCall = {
      callSid,
      tempSid,
      identity,
      params,
      phase: 'connecting',
      status: null,
      answeredAt: null,
      endedAt: null,
      digits: '',
      endedBy: null,
      reconnectToken: randomUUID(),
      invitedAt: Date.now(),
      twimlAt: null,
      session,
      hungUp: false,
      hangUp: () => {
        call.hungUp = true;
        hangUp();
      },
      answerSdp: farEnd.answer(callSid, offer).then((sdp) => (knobs.noInbandDtmf ? withoutTelephoneEvent(sdp) : sdp)),
      detachTimer: null,
      done: Promise.resolve('initiated'),
    };
    call.answerSdp.catch(() => undefined);
    calls.set(callSid, call);
    session.calls.add(call);
    const toCaller = async (type: string, extra: Record<string, unknown> = {}) => {
      if (extra.sdp === '') delete extra.sdp;
      if (call.session) send(call.session, type, { callsid: callSid, ...extra });
    };
    let ringingSent = false;
    let refused = false;
    // The caller's answer waits for the far end's SDP; the hangup at the end must follow it, never overtake it.
    let answerSent: Promise<void> | null = null;
    call.done = runOutboundLeg({
      post: async (url, form) => {
        const result = await post(url, form);
        if (url === options.voiceUrl) call.twimlAt = Date.now();
        return result;
      },
      voiceUrl: options.voiceUrl,
      applicationSid: creds.twimlAppSid,
      callSid,
      identity,
      to: params.To ?? '',
      custom: params,
      hangup,
      hungUp: () => call.hungUp,
      timeScale: scale,
      timing: knobs.timing,
      outcome: knobs.outcome,
      logger,
      onRefused: () => {
        // Twilio answers the caller to play the <Say>, then hangs up.
        refused = true;
        ringingSent = true;
        call.endedBy ??= 'cloud';
        call.answeredAt = Date.now();
        answerSent = call.answerSdp.then((sdp) => toCaller('answer', { sdp, reconnect: call.reconnectToken }), () => undefined);
      },
      onPhase: (phase) => {
        call.phase = phase;
        changed();
      },
      onRinging: () => {
        ringingSent = true;
        // answerOnBridge: the far end's media comes with the ringing, as early media.
        void call.answerSdp.then((sdp) => toCaller('ringing', { sdp }), () => toCaller('ringing'));
      },
      onAnswered: () => {
        call.answeredAt = Date.now();
        answerSent = call.answerSdp.then((sdp) => toCaller('answer', { sdp, reconnect: call.reconnectToken }), () => undefined);
      },
      // <Number sendDigits>: Twilio plays the extension to the far end once it answers.
      onDigitsSent: (digits) => {
        call.digits += digits;
        changed();
      },
    })
      .catch((error: unknown) => {
        logger.warn('cloud.call-failed', { callSid, error: error instanceof Error ? error.message : String(error) });
        return 'failed' as CallStatus;
      })
      .then(async (status) => {
        call.phase = 'ended';
        call.status = status;
        call.endedAt = Date.now();
        call.endedBy ??= 'cloud';
        if (call.detachTimer) clearTimeout(call.detachTimer);
        if (refused) await new Promise((r) => setTimeout(r, SAY_MS * scale));
        await answerSent;
        // Before ringing the SDK knows the call only by its temporary TJS… id.
        if (call.endedBy === 'cloud' && call.session) send(call.session, 'hangup', { callsid: ringingSent ? callSid : tempSid });
        call.session?.calls.delete(call);
        await farEnd.hangUp(callSid).catch(() => undefined);
        changed();
        return status;
      });
  }

  /** The backend's public origin, where Twilio posts a number's Voice URL (the TwiML App's Voice URL names it). */
  const backendOrigin = new URL(options.voiceUrl).origin;

  /** Someone calls one of the account's numbers: Twilio asks the backend's inbound Voice URL and rings who it names. */
  function placeIncomingCall(from: string, to: string): CloudInboundCall {
    const callSid = newCallSid();
    const record: CloudInboundCall = { callSid, from, to, legs: [], status: 'ringing', answeredAt: null, endedAt: null, done: Promise.resolve('failed') };
    inboundCalls.set(callSid, record);
    const handle: InboundCallHandle = startInboundCall({
      post,
      publicBaseUrl: backendOrigin,
      callSid,
      from,
      to,
      timeScale: scale,
      logger,
      recordVoicemail: async () => {
        const sid = newRecordingSid();
        recordings.set(sid, generatedVoicemail(2));
        return { sid, url: `https://api.twilio.com/2010-04-01/Accounts/${creds.accountSid}/Recordings/${sid}`, seconds: 2 };
      },
      onRing: (leg) => ring(handle, record, leg),
      onCancel: (leg) => {
        const ringing = inboundLegs.get(leg.sid);
        if (!ringing) return;
        if (ringing.state === 'ringing') ringing.state = 'canceled';
        for (const session of ringing.rang) send(session, 'cancel', { callsid: leg.sid });
        void farEnd.hangUp(leg.sid).catch(() => undefined);
        changed();
      },
      onAnswered: () => {
        record.status = 'in-progress';
        record.answeredAt = Date.now();
        changed();
      },
      onEnded: (leg) => {
        const answered = inboundLegs.get(leg.sid);
        if (answered) answered.state = 'ended';
        void farEnd.hangUp(leg.sid).catch(() => undefined);
        changed();
      },
    });
    record.done = handle.done.then(async (outcome) => {
      record.status = outcome === 'answered' ? 'completed' : outcome === 'failed' ? 'failed' : 'no-answer';
      record.endedAt = Date.now();
      for (const leg of record.legs) if (leg.state === 'ringing') leg.state = 'canceled';
      changed();
      return outcome;
    });
    return record;
  }

  /** Twilio rings every Device registered under the <Client>'s identity, with the caller's offer. */
  function ring(handle: InboundCallHandle, record: CloudInboundCall, leg: RingingLeg): void {
    const offer = farEnd.offer ? farEnd.offer(leg.sid) : Promise.resolve('');
    offer.catch(() => undefined);
    const ringing = { sid: leg.sid, parentSid: record.callSid, identity: leg.identity, state: 'ringing' as InboundLeg['state'], handle, rang: new Set<Session>(), offer };
    inboundLegs.set(leg.sid, ringing);
    record.legs.push(ringing);
    // The <Parameter>s travel as the call's Params query string; From and To are the call's own parameters.
    const custom = Object.fromEntries(Object.entries(leg.params).filter(([name]) => name !== 'From' && name !== 'To'));
    void offer.then((sdp) => {
      if (ringing.state !== 'ringing') return;
      for (const session of sessions) {
        if (!session.registered || session.token?.identity !== leg.identity) continue;
        ringing.rang.add(session);
        send(session, 'invite', {
          callsid: leg.sid,
          sdp,
          parameters: { CallSid: leg.sid, AccountSid: creds.accountSid, From: record.from, To: `client:${leg.identity}`, ApiVersion: '2010-04-01', Params: new URLSearchParams(custom).toString() },
        });
      }
      changed();
    });
  }

  function answerInbound(session: Session, leg: InboundLeg & { handle: InboundCallHandle }, sdp: string): void {
    // A teammate was first: this Device's call is cancelled, as Twilio does.
    if (!leg.handle.answer(leg.sid)) {
      send(session, 'cancel', { callsid: leg.sid });
      return;
    }
    leg.state = 'answered';
    void farEnd.accept?.(leg.sid, sdp).catch((error: unknown) => logger.warn('cloud.inbound-media-failed', { callSid: leg.sid, error: String(error) }));
    send(session, 'answer', { callsid: leg.sid, reconnect: randomUUID() });
    changed();
  }

  function handleHttp(req: IncomingMessage, res: ServerResponse): void {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const url = new URL(req.url ?? '/', `https://${host || 'localhost'}`);
    httpRequests.push({ at: Date.now(), host, method: req.method ?? 'GET', path: url.pathname });
    changed();
    req.resume();
    // The REST API's call resource, for the backend's reconciler.
    const rest = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Calls\/(CA[0-9a-f]{32})\.json$/.exec(url.pathname);
    const inbound = rest && rest[1] === creds.accountSid ? inboundCalls.get(rest[2]!) : undefined;
    if (inbound) {
      res.setHeader('content-type', 'application/json');
      const duration = inbound.answeredAt && inbound.endedAt ? String(Math.round((inbound.endedAt - inbound.answeredAt) / 1000)) : null;
      res.end(JSON.stringify({ sid: inbound.callSid, account_sid: creds.accountSid, status: inbound.status, direction: 'inbound', duration }));
      return;
    }
    const recording = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Recordings\/(RE[0-9a-f]{32})(\.wav)?$/.exec(url.pathname);
    if (recording) {
      // Twilio serves a recording to the account's API key (or auth token) only.
      const keyAuth = `Basic ${Buffer.from(`${creds.apiKey}:${creds.apiSecret}`).toString('base64')}`;
      const audio = recording[1] === creds.accountSid && req.headers.authorization === keyAuth ? recordings.get(recording[2]!) : undefined;
      res.statusCode = audio ? 200 : 404;
      res.setHeader('content-type', audio ? 'audio/wav' : 'application/json');
      res.end(audio ?? JSON.stringify({ code: 20404, message: 'The requested resource was not found', status: 404 }));
      return;
    }
    if (rest) {
      const call = rest[1] === creds.accountSid ? calls.get(rest[2]!) : undefined;
      res.setHeader('content-type', 'application/json');
      if (!call) {
        res.statusCode = 404;
        res.end(JSON.stringify({ code: 20404, message: `The requested resource ${url.pathname} was not found`, status: 404 }));
        return;
      }
      // calls(sid).update({ status: 'completed' }): Twilio hangs the call up and answers with the resource.
      if (req.method === 'POST' && call.phase !== 'ended') {
        call.endedBy = 'cloud';
        call.hangUp();
      }
      const status = call.phase === 'ended' ? call.status : call.phase === 'connecting' ? 'queued' : call.phase;
      const duration = call.answeredAt && call.endedAt ? String(Math.round((call.endedAt - call.answeredAt) / 1000)) : null;
      res.end(JSON.stringify({ sid: call.callSid, account_sid: creds.accountSid, status, duration }));
      return;
    }
    // The REST API's IncomingPhoneNumbers list, for the backend's admin import; only with the account's API key.
    const numbersList = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/IncomingPhoneNumbers\.json$/.exec(url.pathname);
    if (numbersList) {
      res.setHeader('content-type', 'application/json');
      const expected = `Basic ${Buffer.from(`${creds.apiKey}:${creds.apiSecret}`).toString('base64')}`;
      if (numbersList[1] !== creds.accountSid || req.headers.authorization !== expected) {
        res.statusCode = 401;
        res.end(JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 }));
        return;
      }
      const list = (options.phoneNumbers ?? []).map((n) => ({
        sid: n.sid, account_sid: creds.accountSid, phone_number: n.phoneNumber, friendly_name: n.friendlyName,
        capabilities: { voice: true, sms: true, mms: false, fax: false }, voice_url: '', status_callback: '',
      }));
      res.end(JSON.stringify({ incoming_phone_numbers: list, page: 0, page_size: 50, start: 0, end: list.length - 1, uri: url.pathname, first_page_uri: url.pathname, next_page_uri: null, previous_page_uri: null }));
      return;
    }
    // The far end's page (a secure context for its microphone).
    if (url.pathname === '/far-end') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end('<!doctype html><title>Far end</title>');
      return;
    }
    // Insights (eventgw.*) and anything else the SDK asks for: accepted and recorded, never a third-party host.
    res.statusCode = host.startsWith('sdk.') ? 404 : 200;
    res.setHeader('content-type', 'application/json');
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    res.setHeader('access-control-allow-headers', 'content-type, x-twilio-token');
    res.end('{}');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The REST API over plain HTTP too: the twilio library's client checks certificates, and has no switch for a test one.
  const restServer = createHttpServer((req, res) => handleHttp(req, res));
  await new Promise<void>((resolve) => restServer.listen(0, '127.0.0.1', resolve));
  const restPort = (restServer.address() as AddressInfo).port;

  /** Resolves once `check` returns a value (checked whenever the cloud's state changes). */
  function waitFor<T>(check: () => T | null | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const value = check();
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`The Twilio stand-in waited ${timeoutMs} ms for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(attempt);
      };
      waiters.add(attempt);
      attempt();
    });
  }

  return {
    port,
    /** For Chromium: --host-resolver-rules sends every *.twilio.com here. */
    hostResolverRule: `MAP *.twilio.com 127.0.0.1:${port}`,
    origin: `https://127.0.0.1:${port}`,
    /** Where the backend's twilio client goes instead of https://api.twilio.com. */
    restOrigin: `http://127.0.0.1:${restPort}`,
    knobs,
    messages,
    httpRequests,
    upgradeHosts,
    get refusedUpgrades() {
      return refusedUpgrades;
    },
    get openSockets() {
      return sessions.size;
    },
    calls(): CloudCall[] {
      return [...calls.values()];
    },
    call(sid: string): CloudCall | undefined {
      return findCall(sid);
    },
    received(type: string): SignallingMessage[] {
      return messages.filter((m) => m.direction === 'in' && m.type === type);
    },
    waitFor,
    /** The next call placed after this moment. */
    nextCall(timeoutMs?: number): Promise<CloudCall> {
      const known = new Set(calls.keys());
      return waitFor(() => [...calls.values()].find((c) => !known.has(c.callSid)), 'a new call', timeoutMs);
    },
    /** Someone calls one of the account's numbers (`to`); the registered Devices the backend's TwiML names ring. */
    placeIncomingCall,
    inboundCalls(): CloudInboundCall[] {
      return [...inboundCalls.values()];
    },
    /** The far end hangs up an answered call. */
    hangUpFromFarEnd(sid: string): void {
      const call = findCall(sid);
      if (!call || call.phase === 'ended') return;
      call.endedBy = 'cloud';
      call.hangUp();
    },
    /** Drops every signalling socket without a close frame (the SDK sees 1006, as on a network blip). */
    dropSockets(): void {
      for (const s of sessions) s.ws.terminate();
    },
    /** Sends Twilio's `close`: the SDK destroys its stream. */
    sendClose(): void {
      for (const s of sessions) send(s, 'close', {});
    },
    async close(): Promise<void> {
      for (const call of calls.values()) if (call.phase !== 'ended') call.hangUp();
      await Promise.allSettled([...calls.values()].map((c) => c.done));
      for (const s of sessions) s.ws.terminate();
      wss.close();
      await Promise.all(
        [server, restServer].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

export type TwilioCloud = Awaited<ReturnType<typeof startTwilioCloud>>;

/** The answer without telephone-event: Chrome's RTCDTMFSender then cannot insert tones and the SDK sends digits over signalling. */
export function withoutTelephoneEvent(sdp: string): string {
  const lines = sdp.split(/\r\n/);
  const payloads = new Set(lines.map((l) => /^a=rtpmap:(\d+) telephone-event\//.exec(l)?.[1]).filter((p): p is string => !!p));
  return lines
    .filter((l) => !/^a=(rtpmap|fmtp|rtcp-fb):(\d+)/.test(l) || !payloads.has(/^a=\w+(?:-\w+)?:(\d+)/.exec(l)![1]!))
    .map((l) => (l.startsWith('m=audio ') ? l.split(' ').filter((p, i) => i < 3 || !payloads.has(p)).join(' ') : l))
    .join('\r\n');
}
