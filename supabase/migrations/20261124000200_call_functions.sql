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

-- Creates an outbound call, race-free: the open-call check and the insert happen under a lock on the agent's row.
-- Twilio may retry the Voice URL request: the same CallSid returns the same call.
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
    v_status text := p_status;
    v_error_code text := p_error_code;
    v_error_message text := p_error_message;
  begin
    -- A retried Voice URL request (same CallSid) gets the call the first one created.
    select * into v_call from public.calls where twilio_call_sid = p_twilio_call_sid;
    if v_call.id is not null then
      return jsonb_build_object('created', false, 'call', public.call_to_json(v_call));
    end if;

    if p_status = 'initiated' then
      -- Serialize this agent's new calls; the lock is held until the transaction (this statement) ends.
      perform 1 from public.voip_users where id = p_agent_id for update;
      if exists (
        select 1 from public.calls
        where assigned_to = p_agent_id and status in ('initiated', 'ringing', 'in-progress')
      ) then
        v_status := 'failed';
        v_error_code := 'agent-busy';
        v_error_message := 'This call was refused: you are already on a call. Hang up first.';
      end if;
    end if;

    insert into public.calls (
      organization_id, direction, status, from_number, to_number, contact_name, assigned_to,
      twilio_call_sid, page_url, page_title, created_at, ended_at, error_code, error_message
    ) values (
      p_organization_id, 'outbound', v_status, p_from_number, p_to_number, p_contact_name, p_agent_id,
      p_twilio_call_sid, p_page_url, p_page_title, p_created_at,
      case when public.call_status_rank(v_status) >= 40 then p_created_at end,
      v_error_code, v_error_message
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
-- An event that changes nothing on the call is still appended to the ledger, without rewriting the call row.
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

    -- The same rules as before: only up in rank, earliest answer, latest end, largest duration, first error.
    v_after := v_before;
    if coalesce(public.call_status_rank(p_status), 0) > public.call_status_rank(v_before.status) then
      v_after.status := p_status;
    end if;
    if p_status = 'in-progress' then
      v_after.answered_at := least(v_before.answered_at, p_occurred_at);
    end if;
    if v_terminal then
      v_after.ended_at := greatest(v_before.ended_at, p_occurred_at);
    end if;
    if p_duration is not null then
      v_after.duration := greatest(v_before.duration, p_duration);
    end if;
    v_after.dial_call_sid := coalesce(v_before.dial_call_sid, p_dial_call_sid);
    if p_error_code is not null and v_before.error_code is null then
      v_after.error_code := p_error_code;
    end if;
    if p_error_message is not null and v_before.error_message is null then
      v_after.error_message := p_error_message;
    end if;

    if v_after is distinct from v_before then
      update public.calls c set
        status = v_after.status,
        answered_at = v_after.answered_at,
        ended_at = v_after.ended_at,
        duration = v_after.duration,
        dial_call_sid = v_after.dial_call_sid,
        error_code = v_after.error_code,
        error_message = v_after.error_message
      where c.id = p_call_id
      returning * into v_after;
    end if;

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

-- One agent's presence, for the live presence event after a call changes: an index lookup instead of
-- listing the whole organization (which grew with the number of agents on every call transition).
create function public.get_agent_presence(p_agent_id uuid) returns setof public.agent_presence
  language sql stable
  set search_path = ''
  as $$ select * from public.agent_presence where id = p_agent_id $$;

-- Several webhooks in one database call: the SQL store coalesces the callbacks that arrive together (micro-batching)
-- and applies them here, each exactly as record_call_event applies it (same lock, ledger, idempotency and state rules),
-- in the order given, all committed together before any of them is acknowledged.
--
-- p_events is a JSON array of objects with the keys call_id, call_sid, dial_call_sid, sequence_number, source, status,
-- occurred_at, duration, error_code, error_message, payload and idempotency_key. The result is a JSON array with one
-- element per input, in order: what record_call_event returns for it, or {"error": message, "sqlstate": code} when that
-- one item failed. Each item runs in its own subtransaction, so a failing item changes nothing and fails nothing else.
create function public.record_call_events(p_events jsonb) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_event jsonb;
    v_results jsonb := '[]'::jsonb;
    v_result jsonb;
  begin
    if jsonb_typeof(p_events) is distinct from 'array' then
      raise exception 'record_call_events expects a JSON array of events';
    end if;

    -- Lock every call of the batch up front, in id order: two batches on a PostgreSQL server (several connections or
    -- instances) then never wait for each other in a cycle. record_call_event locks them again (a no-op, already ours).
    perform 1 from public.calls c
      where c.id in (
        select (e ->> 'call_id')::uuid from jsonb_array_elements(p_events) e
        where (e ->> 'call_id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      )
      order by c.id
      for update;

    for v_event in select value from jsonb_array_elements(p_events) loop
      begin
        v_result := public.record_call_event(
          (v_event ->> 'call_id')::uuid,
          v_event ->> 'call_sid',
          v_event ->> 'dial_call_sid',
          (v_event ->> 'sequence_number')::integer,
          v_event ->> 'source',
          v_event ->> 'status',
          (v_event ->> 'occurred_at')::timestamptz,
          (v_event ->> 'duration')::integer,
          v_event ->> 'error_code',
          v_event ->> 'error_message',
          v_event -> 'payload',
          v_event ->> 'idempotency_key'
        );
      exception when others then
        v_result := jsonb_build_object('error', sqlerrm, 'sqlstate', sqlstate);
      end;
      v_results := v_results || jsonb_build_array(v_result);
    end loop;
    return v_results;
  end
  $$;

-- The whole Voice URL request in one database call, for a batch of requests: the backend has already checked the
-- number (valid, allowed country, not premium / shared-cost / of unknown type); this resolves the agent, and under the
-- agent's row lock checks the agent's open call and rate limit and inserts the call, initiated or failed.
-- Both checks under the lock make them race-free: two simultaneous requests of one agent cannot both pass.
--
-- p_calls is a JSON array of objects with the keys agent_id, twilio_call_sid, from_number, to_number, contact_name,
-- page_url, page_title, created_at; error_code and error_message (the backend's refusal, or null); rate_limit_calls and
-- rate_limit_since (at most that many calls created at or after that moment); busy_message and rate_limited_message
-- (the sentences stored with a refusal of this function). The result is a JSON array with one element per input, in
-- order: {"found": false} for an unknown agent (nothing written); {"found": true, "created": bool, "call": call} —
-- a retried request (same twilio_call_sid) gets the call the first one created; or {"error": message, "sqlstate":
-- code} when that one item failed (in its own subtransaction, so it changes nothing and fails nothing else).
create function public.place_outbound_calls(p_calls jsonb) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_item jsonb;
    v_results jsonb := '[]'::jsonb;
    v_result jsonb;
    v_agent_id uuid;
    v_org_id uuid;
    v_agent_name text;
    v_call public.calls;
    v_status text;
    v_error_code text;
    v_error_message text;
    v_recent bigint;
  begin
    if jsonb_typeof(p_calls) is distinct from 'array' then
      raise exception 'place_outbound_calls expects a JSON array of calls';
    end if;

    -- Lock the agents of the batch's calls to be checked up front, in id order, so that two batches on a PostgreSQL
    -- server never wait for each other in a cycle (create_outbound_call takes the same lock).
    perform 1 from public.voip_users u
      where u.id in (
        select (c ->> 'agent_id')::uuid from jsonb_array_elements(p_calls) c
        where c ->> 'error_code' is null
          and (c ->> 'agent_id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      )
      order by u.id
      for update;

    for v_item in select value from jsonb_array_elements(p_calls) loop
      begin
        v_agent_id := (v_item ->> 'agent_id')::uuid;
        v_org_id := null;
        select u.organization_id, u.display_name into v_org_id, v_agent_name from public.voip_users u where u.id = v_agent_id;
        if v_org_id is null then
          v_result := jsonb_build_object('found', false);
        else
          -- A retried Voice URL request (same CallSid) gets the call the first one created.
          select * into v_call from public.calls where twilio_call_sid = v_item ->> 'twilio_call_sid';
          if v_call.id is not null then
            v_result := jsonb_build_object('found', true, 'created', false, 'call', public.call_to_json(v_call));
          else
            v_status := 'initiated';
            v_error_code := v_item ->> 'error_code';
            v_error_message := v_item ->> 'error_message';
            if v_error_code is not null then
              v_status := 'failed';
            else
              if (v_item ->> 'rate_limit_calls') is null or (v_item ->> 'rate_limit_since') is null then
                raise exception 'place_outbound_calls needs rate_limit_calls and rate_limit_since';
              end if;
              -- Under the agent's lock (taken above, held until this statement's transaction ends).
              perform 1 from public.voip_users where id = v_agent_id for update;
              if exists (
                select 1 from public.calls
                where assigned_to = v_agent_id and status in ('initiated', 'ringing', 'in-progress')
              ) then
                v_status := 'failed';
                v_error_code := 'agent-busy';
                v_error_message := v_item ->> 'busy_message';
              else
                select count(*) into v_recent from public.calls
                  where assigned_to = v_agent_id and created_at >= (v_item ->> 'rate_limit_since')::timestamptz;
                if v_recent >= (v_item ->> 'rate_limit_calls')::integer then
                  v_status := 'failed';
                  v_error_code := 'rate-limited';
                  v_error_message := v_item ->> 'rate_limited_message';
                end if;
              end if;
            end if;

            insert into public.calls (
              organization_id, direction, status, from_number, to_number, contact_name, assigned_to,
              twilio_call_sid, page_url, page_title, created_at, ended_at, error_code, error_message
            ) values (
              v_org_id, 'outbound', v_status, v_item ->> 'from_number', v_item ->> 'to_number', v_item ->> 'contact_name', v_agent_id,
              v_item ->> 'twilio_call_sid', v_item ->> 'page_url', v_item ->> 'page_title', (v_item ->> 'created_at')::timestamptz,
              case when v_status = 'failed' then (v_item ->> 'created_at')::timestamptz end,
              v_error_code, v_error_message
            )
            on conflict (twilio_call_sid) do nothing
            returning * into v_call;

            if v_call.id is null then
              select * into v_call from public.calls where twilio_call_sid = v_item ->> 'twilio_call_sid';
              v_result := jsonb_build_object('found', true, 'created', false, 'call', public.call_to_json(v_call));
            else
              -- The agent's name is known: no lookup as in call_to_json.
              v_result := jsonb_build_object('found', true, 'created', true,
                'call', to_jsonb(v_call) || jsonb_build_object('agent_name', v_agent_name));
            end if;
          end if;
        end if;
      exception when others then
        v_result := jsonb_build_object('error', sqlerrm, 'sqlstate', sqlstate);
      end;
      v_results := v_results || jsonb_build_array(v_result);
    end loop;
    return v_results;
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
    'public.list_stale_calls(timestamptz, integer)',
    'public.upsert_agent(uuid, text, text, text)',
    'public.get_agent_presence(uuid)',
    'public.record_call_events(jsonb)',
    'public.place_outbound_calls(jsonb)'
  ] loop
    execute format('revoke execute on function %s from public, anon, authenticated', fn);
    execute format('grant execute on function %s to service_role', fn);
  end loop;
end
$grants$;
