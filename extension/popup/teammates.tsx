// Teammates and whether each is available or on a call.
import type { AgentPresence } from '../../shared/api.js';

export function Teammates({ agents, selfId }: { agents: AgentPresence[] | null; selfId: string }) {
  const others = agents?.filter((a) => a.id !== selfId) ?? null;
  return (
    <section aria-labelledby="teammates">
      <h2 id="teammates">Teammates</h2>
      {others === null ? (
        <p className="muted">Loading teammates…</p>
      ) : others.length === 0 ? (
        <p className="muted">No teammates yet.</p>
      ) : (
        <ul className="rows" aria-label="Teammates">
          {others.map((agent) => (
            <li key={agent.id} className="row">
              <span>{agent.displayName}</span>
              <span className={`presence presence-${agent.status}`}>
                {agent.status === 'on-call' ? `On a call${agent.currentCallPhoneNumber ? ` (${agent.currentCallPhoneNumber})` : ''}` : 'Available'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
