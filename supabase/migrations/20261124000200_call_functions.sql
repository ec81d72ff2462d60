-- Every state transition of a call, as SQL functions: the embedded adapter calls them with `select`,
-- the Supabase adapter with `rpc`, so both share one implementation.

-- Must equal CALL_STATUS_RANK in shared/call-status.ts (a test compares them): a call only moves up.
create function public.call_status_rank(p_status text) returns integer
  language sql immutable
  set search_path = ''
  as $$
    select case p_status
      when 'initiated' then 10
      when 'ringing' then 20
      when 'in-progress' then 30
      when 'canceled' then 40
      when 'failed' then 50
      when 'no-answer' then 60
      when 'busy' then 70
      when 'completed' then 80
    end
  $$;

create function public.call_to_json(c public.calls) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select to_jsonb(c) || jsonb_build_object('agent_name', (select u.display_name from public.voip_users u where u.id = c.assigned_to))
  $$;

-- Creates an outbound call. Twilio may retry the Voice URL request: the same CallSid returns the same call.
create function public.create_outbound_call(
  p_organization_id uuid,
  p_agent_id uuid,
  p_twilio_call_sid text,
  p_from_number text,
  p_to_number text,
  p_contact_name text,
  p_page_url text,
  p_page_title text,
  p_status text,
  p_error_code text,
  p_error_message text,
  p_created_at timestamptz
) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_call public.calls;
  begin
    insert into public.calls (
      organization_id, direction, status, from_number, to_number, contact_name, assigned_to,
      twilio_call_sid, page_url, page_title, created_at, ended_at, error_code, error_message
    ) values (
      p_organization_id, 'outbound', p_status, p_from_number, p_to_number, p_contact_name, p_agent_id,
      p_twilio_call_sid, p_page_url, p_page_title, p_created_at,
      case when public.call_status_rank(p_status) >= 40 then p_created_at end,
      p_error_code, p_error_message
    )
    on conflict (twilio_call_sid) do nothing
    returning * into v_call;

    if v_call.id is null then
      select * into v_call from public.calls where twilio_call_sid = p_twilio_call_sid;
      return jsonb_build_object('created', false, 'call', public.call_to_json(v_call));
    end if;
    return jsonb_build_object('created', true, 'call', public.call_to_json(v_call));
  end
  $$;

-- Appends one webhook to the ledger and applies it to its call, atomically. A repeated idempotency key
-- changes nothing. The call only moves to a higher-ranked status; answered_at is the earliest answer,
-- ended_at the latest end, duration the largest reported, so every order of the same events agrees.
create function public.record_call_event(
  p_call_id uuid,
  p_call_sid text,
  p_dial_call_sid text,
  p_sequence_number integer,
  p_source text,
  p_status text,
  p_occurred_at timestamptz,
  p_duration integer,
  p_error_code text,
  p_error_message text,
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
    v_terminal boolean := public.call_status_rank(p_status) >= 40;
  begin
    -- Lock the call first so concurrent callbacks for it apply one after another.
    select * into v_before from public.calls where id = p_call_id for update;
    if v_before.id is null then
      return jsonb_build_object('found', false);
    end if;

    insert into public.call_events (call_id, call_sid, sequence_number, source, status, occurred_at, payload, idempotency_key)
    values (p_call_id, p_call_sid, p_sequence_number, p_source, p_status, p_occurred_at, coalesce(p_payload, '{}'::jsonb), p_idempotency_key)
    on conflict (idempotency_key) do nothing
    returning id into v_event_id;

    if v_event_id is null then
      return jsonb_build_object('found', true, 'duplicate', true, 'changed', false,
        'previous_status', v_before.status, 'call', public.call_to_json(v_before));
    end if;

    update public.calls c set
      status = case when coalesce(public.call_status_rank(p_status), 0) > public.call_status_rank(c.status) then p_status else c.status end,
      answered_at = case when p_status = 'in-progress' then least(c.answered_at, p_occurred_at) else c.answered_at end,
      ended_at = case when v_terminal then greatest(c.ended_at, p_occurred_at) else c.ended_at end,
      duration = case when p_duration is not null then greatest(c.duration, p_duration) else c.duration end,
      dial_call_sid = coalesce(c.dial_call_sid, p_dial_call_sid),
      error_code = case when p_error_code is not null and c.error_code is null then p_error_code else c.error_code end,
      error_message = case when p_error_message is not null and c.error_message is null then p_error_message else c.error_message end
    where c.id = p_call_id
    returning * into v_after;

    return jsonb_build_object('found', true, 'duplicate', false,
      'changed', v_after is distinct from v_before,
      'previous_status', v_before.status, 'call', public.call_to_json(v_after));
  end
  $$;

-- The organization's calls, newest first, after an optional (created_at, id) cursor.
create function public.list_calls(p_organization_id uuid, p_limit integer, p_before_created_at timestamptz, p_before_id uuid)
  returns setof jsonb
  language sql stable
  set search_path = ''
  as $$
    select public.call_to_json(c)
    from public.calls c
    where c.organization_id = p_organization_id
      and (p_before_created_at is null or (c.created_at, c.id) < (p_before_created_at, p_before_id))
    order by c.created_at desc, c.id desc
    limit p_limit
  $$;

create function public.get_call(p_call_id uuid) returns jsonb
  language sql stable
  set search_path = ''
  as $$ select public.call_to_json(c) from public.calls c where c.id = p_call_id $$;

create function public.list_agent_presence(p_organization_id uuid) returns setof public.agent_presence
  language sql stable
  set search_path = ''
  as $$ select * from public.agent_presence where organization_id = p_organization_id order by display_name, id $$;

create function public.get_agent(p_agent_id uuid) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select jsonb_build_object('id', u.id, 'email', u.email, 'display_name', u.display_name,
      'organization_id', u.organization_id, 'organization_name', o.name)
    from public.voip_users u join public.organizations o on o.id = u.organization_id
    where u.id = p_agent_id
  $$;

-- Calls the agent placed since a moment (for the rate limit) and whether one is still open.
create function public.agent_call_counts(p_agent_id uuid, p_since timestamptz) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select jsonb_build_object(
      'recent', (select count(*) from public.calls where assigned_to = p_agent_id and created_at >= p_since),
      'open', (select count(*) from public.calls where assigned_to = p_agent_id and status in ('initiated', 'ringing', 'in-progress'))
    )
  $$;

-- Open calls older than a bound, for the reconciler.
create function public.list_stale_calls(p_older_than timestamptz, p_limit integer) returns setof jsonb
  language sql stable
  set search_path = ''
  as $$
    select public.call_to_json(c) from public.calls c
    where c.status in ('initiated', 'ringing', 'in-progress') and c.created_at < p_older_than
    order by c.created_at limit p_limit
  $$;

-- Creates an organization (by name, reused if it exists) and an agent for an existing auth user.
create function public.upsert_agent(p_user_id uuid, p_email text, p_display_name text, p_organization_name text) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_org_id uuid;
  begin
    insert into public.organizations (name) values (p_organization_name)
      on conflict (name) do update set name = excluded.name
      returning id into v_org_id;
    insert into public.voip_users (id, organization_id, display_name, email)
      values (p_user_id, v_org_id, p_display_name, p_email)
      on conflict (id) do update set organization_id = excluded.organization_id,
        display_name = excluded.display_name, email = excluded.email;
    return public.get_agent(p_user_id);
  end
  $$;

-- Only the backend (service role) may call these.
do $grants$
declare
  fn text;
begin
  foreach fn in array array[
    'public.create_outbound_call(uuid, uuid, text, text, text, text, text, text, text, text, text, timestamptz)',
    'public.record_call_event(uuid, text, text, integer, text, text, timestamptz, integer, text, text, jsonb, text)',
    'public.list_calls(uuid, integer, timestamptz, uuid)',
    'public.get_call(uuid)',
    'public.list_agent_presence(uuid)',
    'public.get_agent(uuid)',
    'public.agent_call_counts(uuid, timestamptz)',
    'public.list_stale_calls(timestamptz, integer)',
    'public.upsert_agent(uuid, text, text, text)'
  ] loop
    execute format('revoke execute on function %s from public, anon, authenticated', fn);
    execute format('grant execute on function %s to service_role', fn);
  end loop;
end
$grants$;
