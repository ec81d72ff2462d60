// A call's voicemail, streamed to signed-in agents of the call's organization only: fetched with the account's
// credentials from Twilio's API (or from the simulator, which serves it the same way), never handed out as a URL.
import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { ApiError } from '../http/api-error.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function callRecordingRoutes(deps: AppDeps, doFetch: typeof fetch = fetch) {
  const { auth, store, creds, logger } = deps;
  return new Hono<AgentEnv>().get('/:id/recording', requireAgent(auth, store), async (c) => {
    const id = c.req.param('id');
    const agent = c.get('agent');
    const recording = UUID.test(id) ? await store.getCallRecording(id) : null;
    // Another organization's call answers as no call at all: its existence is not confirmed.
    if (!recording || recording.organizationId !== agent.organizationId) throw new ApiError(404, 'no-recording', 'This call has no voicemail.');
    const base = recording.recordingUrl ?? `https://api.twilio.com/2010-04-01/Accounts/${creds.accountSid}/Recordings/${recording.recordingSid}`;
    // The telephony seam is set once the server has started (after the routes are built): read it per request.
    const fetchAudio = deps.callControl?.fetchRecording
      ? deps.callControl.fetchRecording(`${base}.wav`)
      : doFetch(`${base}.wav`, { headers: { authorization: `Basic ${Buffer.from(`${creds.apiKey}:${creds.apiSecret}`).toString('base64')}` }, signal: AbortSignal.timeout(15_000) });
    const upstream = await fetchAudio.catch((error: unknown) => {
      logger.warn('recording.fetch-failed', { callId: id, error: error instanceof Error ? error.message : String(error) });
      return null;
    });
    if (!upstream || !upstream.ok || !upstream.body) {
      if (upstream) logger.warn('recording.fetch-failed', { callId: id, status: upstream.status });
      throw new ApiError(502, 'recording-unavailable', 'The voicemail could not be fetched from Twilio just now. Try again in a minute.');
    }
    return new Response(upstream.body, {
      status: 200,
      headers: {
        'content-type': upstream.headers.get('content-type') ?? 'audio/wav',
        'cache-control': 'private, no-store',
        ...(upstream.headers.get('content-length') ? { 'content-length': upstream.headers.get('content-length')! } : {}),
      },
    });
  });
}
