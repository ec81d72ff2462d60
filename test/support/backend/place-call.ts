// Test helper: an outbound call stored the way the Voice URL stores it (CallStore.placeOutboundCall, the production
// path), for tests that need a call row without dialling one. The agent's limits are out of the way; an open call of
// the agent still refuses the next as agent-busy, as in production.
import { randomBytes } from 'node:crypto';
import type { Call } from '../../../shared/api.js';
import type { CallStore, OutboundCallRequest } from '../../../backend/store/call-store.js';

export type PlacedCallDetails = Partial<Omit<OutboundCallRequest, 'agentId'>>;

export async function placeCall(store: CallStore, agent: { id: string }, details: PlacedCallDetails = {}): Promise<{ created: boolean; call: Call }> {
  const result = await store.placeOutboundCall({
    agentId: agent.id,
    twilioCallSid: `CA${randomBytes(16).toString('hex')}`,
    fromNumber: '+15005550006',
    toNumber: '+14155550100',
    contactName: null,
    pageUrl: null,
    pageTitle: null,
    refusal: null,
    rateLimit: { calls: 1_000_000, since: new Date(0) },
    limitMessages: { agentBusy: 'This call was refused: you are already on a call. Hang up first.', rateLimited: 'Too many calls.' },
    createdAt: new Date(),
    ...details,
  });
  if (!result.found) throw new Error(`placeCall: there is no agent ${agent.id}.`);
  return { created: result.created, call: result.call };
}
