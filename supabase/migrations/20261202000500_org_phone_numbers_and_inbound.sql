-- The organization's phone numbers (caller ids agents may choose, and the numbers that ring the organization's agents),
-- what an inbound call records (who answered, its voicemail, whom it rang), whether an agent's softphone is registered,
-- and the SQL functions the Voice URLs use. Agents read; every write goes through the backend's functions.

create table public.organization_phone_numbers (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  -- One organization per number: a call to it must find exactly one organization.
  e164 text not null unique check (e164 ~ '^\+[1-9][0-9]{6,14}$'),
  label text not null default '' check (length(label) <= 60),
  is_default boolean not null default false,
  -- The number's IncomingPhoneNumber SID when it was imported from the Twilio account.
  twilio_sid text check (twilio_sid is null or twilio_sid ~ '^PN[0-9a-f]{32}$'),
  created_at timestamptz not null default now()
);
alter table public.organization_phone_numbers enable row level security;
create index organization_phone_numbers_organization_idx on public.organization_phone_numbers (organization_id, e164);
-- At most one default (caller id when the agent chooses none) per organization.
create unique index organization_phone_numbers_one_default_idx on public.organization_phone_numbers (organization_id) where is_default;
create policy "Agents can read their organization's phone numbers" on public.organization_phone_numbers
  for select to authenticated using (organization_id = (select public.current_organization_id()));
grant select on public.organization_phone_numbers to authenticated;
grant all on public.organization_phone_numbers to service_role;

-- Inbound calls: assigned_to is the agent who answered (so presence shows them On a call); answered_by keeps it
-- explicitly, rung_agent_ids whom the call rang, and the voicemail's recording.
alter table public.calls add column answered_by uuid references public.voip_users (id) on delete set null;
alter table public.calls add column rung_agent_ids uuid[] not null default '{}';
alter table public.calls add column recording_sid text check (recording_sid is null or recording_sid ~ '^RE[0-9a-f]{32}$');
alter table public.calls add column recording_url text check (recording_url is null or length(recording_url) <= 2048);
alter table public.calls add column recording_duration integer check (recording_duration is null or recording_duration >= 0);
create index calls_inbound_caller_idx on public.calls (organization_id, from_number, created_at desc) where direction = 'inbound';
create index calls_outbound_callee_idx on public.calls (organization_id, to_number, created_at desc) where direction = 'outbound';

-- Until when the agent's softphone is registered to receive calls (null: not registered). Inbound calls ring only
-- agents whose softphone is registered now.
alter table public.voip_users add column softphone_registered_until timestamptz;

-- ---- Phone numbers ----

create function public.phone_number_to_json(n public.organization_phone_numbers) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select jsonb_build_object('id', n.id, 'organization_id', n.organization_id, 'e164', n.e164, 'label', n.label,
      'is_default', n.is_default, 'twilio_sid', n.twilio_sid, 'created_at', n.created_at)
  $$;

-- Adds a number to the organization, or updates its label and default flag if the organization already has it.
-- {"taken": true} when another organization has it (nothing written).
create function public.add_phone_number(p_organization_id uuid, p_e164 text, p_label text, p_is_default boolean, p_twilio_sid text)
  returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_existing public.organization_phone_numbers;
    v_number public.organization_phone_numbers;
  begin
    -- Serialize the organization's number changes (the one-default rule).
    perform 1 from public.organizations where id = p_organization_id for update;
    select * into v_existing from public.organization_phone_numbers where e164 = p_e164;
    if v_existing.id is not null and v_existing.organization_id <> p_organization_id then
      return jsonb_build_object('taken', true);
    end if;
    if p_is_default then
      update public.organization_phone_numbers set is_default = false
        where organization_id = p_organization_id and is_default and e164 <> p_e164;
    end if;
    insert into public.organization_phone_numbers (organization_id, e164, label, is_default, twilio_sid)
      values (p_organization_id, p_e164, coalesce(p_label, ''), coalesce(p_is_default, false), p_twilio_sid)
      on conflict (e164) do update set
        label = case when excluded.label = '' then public.organization_phone_numbers.label else excluded.label end,
        is_default = public.organization_phone_numbers.is_default or excluded.is_default,
        twilio_sid = coalesce(excluded.twilio_sid, public.organization_phone_numbers.twilio_sid)
      returning * into v_number;
    return jsonb_build_object('taken', false, 'created', v_existing.id is null, 'number', public.phone_number_to_json(v_number));
  end
  $$;

create function public.list_phone_numbers(p_organization_id uuid) returns setof jsonb
  language sql stable
  set search_path = ''
  as $$
    select public.phone_number_to_json(n) from public.organization_phone_numbers n
    where n.organization_id = p_organization_id order by n.is_default desc, n.e164
  $$;

create function public.remove_phone_number(p_organization_id uuid, p_e164 text) returns boolean
  language sql
  set search_path = ''
  as $$
    with gone as (delete from public.organization_phone_numbers where organization_id = p_organization_id and e164 = p_e164 returning 1)
    select exists (select 1 from gone)
  $$;

create function public.find_phone_number(p_e164 text) returns jsonb
  language sql stable
  set search_path = ''
  as $$ select public.phone_number_to_json(n) from public.organization_phone_numbers n where n.e164 = p_e164 $$;

-- The caller id of an agent's outbound call: the number they asked for if it is their organization's
-- (allowed false otherwise), or the organization's default number (null if it has none) when they asked for none.
create function public.resolve_caller_id(p_agent_id uuid, p_requested text) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select case
      when u.id is null then jsonb_build_object('found', false)
      when p_requested is null then jsonb_build_object('found', true, 'allowed', true, 'caller_id',
        (select n.e164 from public.organization_phone_numbers n where n.organization_id = u.organization_id and n.is_default))
      else jsonb_build_object('found', true,
        'allowed', exists (select 1 from public.organization_phone_numbers n where n.organization_id = u.organization_id and n.e164 = p_requested),
        'caller_id', (select n.e164 from public.organization_phone_numbers n where n.organization_id = u.organization_id and n.e164 = p_requested))
    end
    from (select 1) one left join public.voip_users u on u.id = p_agent_id
  $$;

-- ---- Softphone registration ----

create function public.set_softphone_registration(p_agent_id uuid, p_until timestamptz) returns boolean
  language sql
  set search_path = ''
  as $$
    with changed as (update public.voip_users set softphone_registered_until = p_until where id = p_agent_id returning 1)
    select exists (select 1 from changed)
  $$;

-- ---- Inbound calls ----

-- A call to one of the organization's numbers, once per CallSid (a retried Voice URL request gets the same call), with
-- the agents to ring now (presence Available, softphone registered, not on a call) and what the organization knows of
-- the caller (the contact name and page of the latest call to or from that number). With nobody to ring, the call is
-- created already missed (no-answer), and goes to voicemail.
create function public.receive_inbound_call(
  p_organization_id uuid,
  p_twilio_call_sid text,
  p_from_number text,
  p_to_number text,
  p_created_at timestamptz
) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_call public.calls;
    v_created boolean := false;
    v_agents jsonb;
    v_agent_ids uuid[];
    v_known record;
  begin
    select coalesce(jsonb_agg(jsonb_build_object('id', u.id, 'display_name', u.display_name) order by u.display_name, u.id), '[]'::jsonb),
           coalesce(array_agg(u.id order by u.display_name, u.id), '{}')
      into v_agents, v_agent_ids
      from public.voip_users u
      where u.organization_id = p_organization_id
        and u.presence = 'available'
        and u.softphone_registered_until > p_created_at
        and not exists (
          select 1 from public.calls c where c.assigned_to = u.id and c.status in ('initiated', 'ringing', 'in-progress')
        );

    select c.contact_name, c.page_url, c.page_title into v_known
      from public.calls c
      where c.organization_id = p_organization_id
        and p_from_number is not null
        and ((c.direction = 'outbound' and c.to_number = p_from_number) or (c.direction = 'inbound' and c.from_number = p_from_number))
        and (c.contact_name is not null or c.page_url is not null)
        and c.twilio_call_sid is distinct from p_twilio_call_sid
      order by c.created_at desc, c.id desc
      limit 1;

    select * into v_call from public.calls where twilio_call_sid = p_twilio_call_sid;
    if v_call.id is null then
      insert into public.calls (
        organization_id, direction, status, from_number, to_number, contact_name, page_url, page_title,
        twilio_call_sid, created_at, ended_at, rung_agent_ids, error_code, error_message
      ) values (
        p_organization_id, 'inbound', case when cardinality(v_agent_ids) > 0 then 'ringing' else 'no-answer' end,
        p_from_number, p_to_number, v_known.contact_name, v_known.page_url, v_known.page_title,
        p_twilio_call_sid, p_created_at, case when cardinality(v_agent_ids) = 0 then p_created_at end, v_agent_ids,
        case when cardinality(v_agent_ids) = 0 then 'nobody-available' end,
        case when cardinality(v_agent_ids) = 0 then 'Nobody was available to take this call.' end
      )
      on conflict (twilio_call_sid) do nothing
      returning * into v_call;
      v_created := v_call.id is not null;
      if not v_created then
        select * into v_call from public.calls where twilio_call_sid = p_twilio_call_sid;
      end if;
    end if;

    -- A retried request rings whom the first one rang, if they are still free.
    if not v_created then
      select coalesce(jsonb_agg(a) filter (where (a ->> 'id')::uuid = any (v_call.rung_agent_ids)), '[]'::jsonb)
        into v_agents from jsonb_array_elements(v_agents) a;
    end if;

    return jsonb_build_object('created', v_created, 'call', public.call_to_json(v_call), 'agents', v_agents,
      'caller', jsonb_build_object('contact_name', v_known.contact_name, 'page_url', v_known.page_url, 'page_title', v_known.page_title));
  end
  $$;

create function public.find_call_by_sid(p_twilio_call_sid text) returns jsonb
  language sql stable
  set search_path = ''
  as $$ select public.call_to_json(c) from public.calls c where c.twilio_call_sid = p_twilio_call_sid $$;

-- Appends one webhook of an inbound call to the ledger and applies it, atomically; a repeated idempotency key changes
-- nothing. Kinds: 'answered' (an agent's <Client> leg answered: the earliest answer wins, its agent is who answered),
-- 'ended' (the <Dial action>, the call's status callback, or the end of the answered leg), 'voicemail' (the recording),
-- anything else only goes to the ledger. The status is derived from those facts — answered and ended: completed;
-- answered: in-progress; ended unanswered: no-answer (missed); else ringing — so every order and every duplication of
-- the same events ends in the same state, and the status only ever moves up in rank.
create function public.record_inbound_event(
  p_call_id uuid,
  p_call_sid text,
  p_source text,
  p_kind text,
  p_agent_id uuid,
  p_occurred_at timestamptz,
  p_duration integer,
  p_recording_sid text,
  p_recording_url text,
  p_recording_duration integer,
  p_payload jsonb,
  p_idempotency_key text
) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_before public.calls;
    v_after public.calls;
    v_event_id bigint;
    v_status text;
  begin
    select * into v_before from public.calls where id = p_call_id and direction = 'inbound' for update;
    if v_before.id is null then
      return jsonb_build_object('found', false);
    end if;

    insert into public.call_events (call_id, call_sid, sequence_number, source, status, occurred_at, payload, idempotency_key)
    values (p_call_id, p_call_sid, null, p_source,
      case p_kind when 'answered' then 'in-progress' when 'ringing' then 'ringing' end,
      p_occurred_at, coalesce(p_payload, '{}'::jsonb), p_idempotency_key)
    on conflict (idempotency_key) do nothing
    returning id into v_event_id;
    if v_event_id is null then
      return jsonb_build_object('found', true, 'duplicate', true, 'changed', false,
        'previous_status', v_before.status, 'call', public.call_to_json(v_before));
    end if;

    v_after := v_before;
    if p_kind = 'answered' and p_agent_id is not null and p_agent_id = any (v_before.rung_agent_ids) and (
      v_before.answered_at is null or p_occurred_at < v_before.answered_at
      or (p_occurred_at = v_before.answered_at and p_agent_id < v_before.answered_by)
    ) then
      v_after.answered_at := p_occurred_at;
      v_after.answered_by := p_agent_id;
      v_after.assigned_to := p_agent_id;
    end if;
    if p_kind in ('ended', 'voicemail') then
      v_after.ended_at := greatest(v_before.ended_at, p_occurred_at);
    end if;
    if p_duration is not null then
      v_after.duration := greatest(v_before.duration, p_duration);
    end if;
    if p_kind = 'voicemail' and p_recording_sid is not null
      and (v_before.recording_sid is null or p_recording_sid < v_before.recording_sid) then
      v_after.recording_sid := p_recording_sid;
      v_after.recording_url := p_recording_url;
      v_after.recording_duration := p_recording_duration;
    end if;

    v_status := case
      when v_after.answered_at is not null and v_after.ended_at is not null then 'completed'
      when v_after.answered_at is not null then 'in-progress'
      when v_after.ended_at is not null then 'no-answer'
      else 'ringing'
    end;
    if public.call_status_rank(v_status) > public.call_status_rank(v_before.status) then
      v_after.status := v_status;
    end if;
    -- A missed call's reason says nothing once an agent answered.
    if v_after.answered_at is not null and v_before.error_code = 'nobody-available' then
      v_after.error_code := null;
      v_after.error_message := null;
    end if;

    if v_after is distinct from v_before then
      update public.calls c set
        status = v_after.status, answered_at = v_after.answered_at, answered_by = v_after.answered_by,
        assigned_to = v_after.assigned_to, ended_at = v_after.ended_at, duration = v_after.duration,
        recording_sid = v_after.recording_sid, recording_url = v_after.recording_url,
        recording_duration = v_after.recording_duration, error_code = v_after.error_code, error_message = v_after.error_message
      where c.id = p_call_id
      returning * into v_after;
    end if;

    return jsonb_build_object('found', true, 'duplicate', false,
      'changed', v_after is distinct from v_before,
      'previous_status', v_before.status, 'call', public.call_to_json(v_after));
  end
  $$;

create function public.get_call_recording(p_call_id uuid) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select jsonb_build_object('organization_id', c.organization_id, 'recording_sid', c.recording_sid, 'recording_url', c.recording_url)
    from public.calls c where c.id = p_call_id and c.recording_sid is not null
  $$;

-- Only the backend (service role) may call these.
do $grants$
declare
  fn text;
begin
  foreach fn in array array[
    'public.phone_number_to_json(public.organization_phone_numbers)',
    'public.add_phone_number(uuid, text, text, boolean, text)',
    'public.list_phone_numbers(uuid)',
    'public.remove_phone_number(uuid, text)',
    'public.find_phone_number(text)',
    'public.resolve_caller_id(uuid, text)',
    'public.set_softphone_registration(uuid, timestamptz)',
    'public.receive_inbound_call(uuid, text, text, text, timestamptz)',
    'public.find_call_by_sid(text)',
    'public.get_call_recording(uuid)',
    'public.record_inbound_event(uuid, text, text, text, uuid, timestamptz, integer, text, text, integer, jsonb, text)'
  ] loop
    execute format('revoke execute on function %s from public, anon, authenticated', fn);
    execute format('grant execute on function %s to service_role', fn);
  end loop;
end
$grants$;
