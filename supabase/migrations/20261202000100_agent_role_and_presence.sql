-- Two agent columns the next features share: a role (admins manage the organization's outcomes, webhooks and phone
-- numbers) and the presence an agent chooses (Available, Away, Do not disturb). Offline and On a call are derived,
-- never stored. Reads are already covered by "Agents can read the agents of their organization"; writes go through
-- the backend, which checks who may change what.

alter table public.voip_users add column role text not null default 'agent'
  check (role in ('agent', 'admin'));

alter table public.voip_users add column presence text not null default 'available'
  check (presence in ('available', 'away', 'dnd'));

alter table public.voip_users add column presence_changed_at timestamptz not null default now();
