// The Voice SDK identity of an agent: derived from their id, within Twilio's rules (letters, digits, underscore; ≤ 121 characters).
const IDENTITY = /^agent_([0-9a-f]{32})$/;

export function identityForAgent(agentId: string): string {
  return `agent_${agentId.replace(/-/g, '').toLowerCase()}`;
}

/** The agent id behind `client:agent_…` (the `From` of a Voice URL request), or null if it is not one of ours. */
export function agentIdFromClient(from: string | undefined): string | null {
  const m = /^client:(.+)$/.exec(from ?? '');
  const id = m && IDENTITY.exec(m[1]!);
  if (!id) return null;
  const h = id[1]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
