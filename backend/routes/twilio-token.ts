// Voice access tokens for the agent's softphone; the identity is chosen by the server.
import { Hono } from 'hono';
import type { AppDeps } from '../app.js';
import { requireAgent, type AgentEnv } from '../http/require-agent.js';
import { identityForAgent } from '../twilio/agent-identity.js';
import { mintVoiceToken } from '../twilio/voice-token.js';

export function twilioTokenRoutes({ auth, store, creds }: AppDeps) {
  return new Hono<AgentEnv>().post('/token', requireAgent(auth, store), (c) =>
    c.json(mintVoiceToken(creds, identityForAgent(c.get('agent').id))),
  );
}
