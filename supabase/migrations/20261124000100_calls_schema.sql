-- Organizations, agents, calls and the append-only ledger of call events, with row level security.
-- Applied as-is to a Supabase project and, on top of supabase/local/auth-shim.sql, to the embedded database.

create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (length(name) between 1 and 200),
  created_at timestamptz not null default now()
);
alter table public.organizations enable row level security;

create table public.voip_users (
  id uuid primary key references auth.users (id) on delete cascade,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  display_name text not null check (length(display_name) between 1 and 200),
  email text not null,
  created_at timestamptz not null default now()
);
alter table public.voip_users enable row level security;
create index voip_users_organization_id_idx on public.voip_users (organization_id);

create table public.calls (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  direction text not null check (direction in ('inbound', 'outbound')),
  status text not null default 'initiated'
    check (status in ('initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled')),
  from_number text,
  to_number text,
  contact_name text,
  assigned_to uuid references public.voip_users (id) on delete set null,
  twilio_call_sid text unique,
  dial_call_sid text,
  page_url text,
  page_title text,
  created_at timestamptz not null default now(),
  answered_at timestamptz,
  ended_at timestamptz,
  duration integer check (duration is null or duration >= 0),
  error_code text,
  error_message text
);
alter table public.calls enable row level security;
create index calls_organization_created_idx on public.calls (organization_id, created_at desc, id desc);
create index calls_assigned_to_idx on public.calls (assigned_to);
create index calls_direction_idx on public.calls (direction);
create index calls_open_idx on public.calls (assigned_to) where status in ('initiated', 'ringing', 'in-progress');

create table public.call_events (
  id bigint generated always as identity primary key,
  call_id uuid not null references public.calls (id) on delete cascade,
  call_sid text,
  sequence_number integer,
  source text not null,
  status text,
  occurred_at timestamptz not null,
  received_at timestamptz not null default now(),
  payload jsonb not null default '{}'::jsonb,
  idempotency_key text not null unique
);
alter table public.call_events enable row level security;
create index call_events_call_id_idx on public.call_events (call_id, occurred_at);

-- The organization of the agent making the request. Security definer so that policies can use it
-- without recursing through voip_users' own policy.
create function public.current_organization_id() returns uuid
  language sql stable security definer
  set search_path = ''
  as $$ select organization_id from public.voip_users where id = (select auth.uid()) $$;
revoke execute on function public.current_organization_id() from public;
grant execute on function public.current_organization_id() to authenticated, service_role;

create policy "Agents can read their own organization" on public.organizations
  for select to authenticated using (id = (select public.current_organization_id()));
create policy "Agents can read the agents of their organization" on public.voip_users
  for select to authenticated using (organization_id = (select public.current_organization_id()));
create policy "Agents can read their organization's calls" on public.calls
  for select to authenticated using (organization_id = (select public.current_organization_id()));
create policy "Agents can read the events of their organization's calls" on public.call_events
  for select to authenticated using (
    exists (select 1 from public.calls c where c.id = call_id and c.organization_id = (select public.current_organization_id()))
  );

-- Agents read; every write goes through the functions below, executed by the backend.
grant select on public.organizations, public.voip_users, public.calls, public.call_events to authenticated;
grant all on public.organizations, public.voip_users, public.calls, public.call_events to service_role;

-- Presence is derived, never stored twice: an agent is on call iff they have a call that has not ended.
-- Column names follow the VoIP CRM guide so its troubleshooting queries keep working.
create view public.agent_presence with (security_invoker = true) as
  select
    u.id,
    u.organization_id,
    u.display_name,
    u.email,
    open_call.id as current_call_id,
    open_call.to_number as current_call_phone_number,
    open_call.id is null as is_available
  from public.voip_users u
  left join lateral (
    select c.id, c.to_number
    from public.calls c
    where c.assigned_to = u.id and c.status in ('initiated', 'ringing', 'in-progress')
    order by c.created_at desc
    limit 1
  ) open_call on true;
grant select on public.agent_presence to authenticated, service_role;
