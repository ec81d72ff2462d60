// Teammates and their presence: Available, Away, Do not disturb (chosen), On a call (with the number), Offline (not seen).
import type { AgentPresence, AgentStatus } from '../../shared/api.js';
import { formatPhone } from './format.js';

const WORDS: Record<AgentStatus, string> = { available: 'Available', away: 'Away', dnd: 'Do not disturb', 'on-call': 'On a call', offline: 'Offline' };

function presenceWords(agent: AgentPresence, country = 'US'): string {
  if (agent.status === 'on-call' && agent.currentCallPhoneNumber) return `On a call (${formatPhone(agent.currentCallPhoneNumber, null, country)})`;
  return WORDS[agent.status];
}

export function Teammates({ agents, selfId, country = 'US' }: { agents: AgentPresence[] | null; selfId: string; country?: string }) {
  const others = agents?.filter((a) => a.id !== selfId) ?? null;
  if (others === null) return <p className="muted">Loading teammates…</p>;
  if (others.length === 0) return <p className="muted">No teammates yet.</p>;
  return (
    <ul className="rows" aria-label="Teammates">
      {others.map((agent) => (
        <li key={agent.id} className="row" aria-label={`${agent.displayName}, ${presenceWords(agent, country)}`}>
          <span className="row-text ellipsis">{agent.displayName}</span>
          <span className={`presence presence-${agent.status}`}>{presenceWords(agent, country)}</span>
        </li>
      ))}
    </ul>
  );
}
