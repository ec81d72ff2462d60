-- After the call: each organization's list of outcomes (dispositions), the wrap-up an agent writes for a call, and
-- whether a wrap-up is required before the next call. The tables only; the functions that write them come with the
-- features that use them. Agents read; every write goes through the backend, which checks who may write what.

alter table public.organizations add column wrapup_required boolean not null default false;

create table public.call_outcomes (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  label text not null check (length(label) between 1 and 60),
  -- Which call results pre-select this outcome in the wrap-up (for example Busy for 'busy').
  matches_statuses text[] not null default '{}',
  position integer not null default 0,
  archived boolean not null default false,
  created_at timestamptz not null default now(),
  unique (organization_id, label)
);
alter table public.call_outcomes enable row level security;
create index call_outcomes_organization_idx on public.call_outcomes (organization_id, position);
create policy "Agents can read their organization's outcomes" on public.call_outcomes
  for select to authenticated using (organization_id = (select public.current_organization_id()));

create table public.call_wrapups (
  call_id uuid primary key references public.calls (id) on delete cascade,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  outcome_id uuid references public.call_outcomes (id) on delete set null,
  -- The outcome's label when it was chosen, so history and webhooks keep it if the list changes.
  outcome_label text check (outcome_label is null or length(outcome_label) between 1 and 60),
  notes text not null default '' check (length(notes) <= 2000),
  follow_up_on date,
  written_by uuid references public.voip_users (id) on delete set null,
  written_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.call_wrapups enable row level security;
create index call_wrapups_organization_idx on public.call_wrapups (organization_id, updated_at desc);
create policy "Agents can read their organization's wrap-ups" on public.call_wrapups
  for select to authenticated using (organization_id = (select public.current_organization_id()));

grant select on public.call_outcomes, public.call_wrapups to authenticated;
grant all on public.call_outcomes, public.call_wrapups to service_role;

-- Every organization starts with the outcomes every dialer offers; new organizations get them at creation.
create function public.add_default_call_outcomes() returns trigger
  language plpgsql
  set search_path = ''
  as $$
  begin
    insert into public.call_outcomes (organization_id, label, matches_statuses, position)
    values
      (new.id, 'Connected', '{completed}', 10),
      (new.id, 'Left voicemail', '{}', 20),
      (new.id, 'No answer', '{no-answer,canceled}', 30),
      (new.id, 'Busy', '{busy}', 40),
      (new.id, 'Wrong number', '{failed}', 50),
      (new.id, 'Not interested', '{}', 60),
      (new.id, 'Call back later', '{}', 70)
    on conflict (organization_id, label) do nothing;
    return new;
  end;
  $$;
revoke execute on function public.add_default_call_outcomes() from public;

create trigger organizations_add_default_call_outcomes after insert on public.organizations
  for each row execute function public.add_default_call_outcomes();

insert into public.call_outcomes (organization_id, label, matches_statuses, position)
select o.id, d.label, d.matches_statuses, d.position
from public.organizations o
cross join (values
  ('Connected', '{completed}'::text[], 10),
  ('Left voicemail', '{}'::text[], 20),
  ('No answer', '{no-answer,canceled}'::text[], 30),
  ('Busy', '{busy}'::text[], 40),
  ('Wrong number', '{failed}'::text[], 50),
  ('Not interested', '{}'::text[], 60),
  ('Call back later', '{}'::text[], 70)
) as d (label, matches_statuses, position)
on conflict (organization_id, label) do nothing;
