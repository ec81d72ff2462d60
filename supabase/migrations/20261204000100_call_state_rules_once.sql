-- The call-state rules once: which statuses are open (the call has not ended) and which are final are named here and
-- nowhere else, and every current function, the presence view and the open-call index use them instead of their own
-- copy of the list (it was written seven times, and `call_status_rank(...) >= 40` twice). The functions below are the
-- latest definitions restated with only that change: same arguments, results, rules, and so the same grants.
-- create_outbound_call goes: nothing but tests called it (the Voice URL uses place_outbound_calls).
-- call_status_rank stays as it is and is now the only rank table: shared/call-status.ts no longer has a copy (the
-- comment in 20261124000200 that says a test compares them is out of date).

-- Open: the call has not ended, so its agent is on a call. A SQL-standard body with no SET clause on purpose: the planner
-- inlines it into `status = any (array[...])`, so a query that says call_is_open(status) plans exactly as the list did
-- and matches the partial index below; a SET search_path would stop the inlining. The body's names are bound when the
-- function is created, so the caller's search path cannot change what it means.
create function public.call_is_open(p_status text) returns boolean
  language sql immutable parallel safe
  return p_status in ('initiated', 'ringing', 'in-progress');

-- Final: a known status (call_status_rank ranks it) that is not open. Every final status ranks above every open one
-- (a test checks it), so a call that has ended never reopens. Null and unknown words are neither open nor final.
create function public.call_is_final(p_status text) returns boolean
  language sql immutable parallel safe
  return public.call_status_rank(p_status) is not null and not public.call_is_open(p_status);

-- The presence view below is security invoker: agents reading it run call_is_open themselves, so it keeps the default
-- execute for everyone, as call_status_rank does. call_is_final is the backend's (record_call_event), like every other.
revoke execute on function public.call_is_final(text) from public, anon, authenticated;
grant execute on function public.call_is_final(text) to service_role;

-- The open-call index says call_is_open too. The planner inlines the function in the index predicate as in the
-- queries, so both spellings match it; the test of this migration checks the plans on PGlite and PostgreSQL 15.
-- Changing which statuses are open (a new call_is_open) must rebuild this index in the same migration.
drop index public.calls_open_idx;
create index calls_open_idx on public.calls (assigned_to) where public.call_is_open(status);

drop function public.create_outbound_call(uuid, uuid, text, text, text, text, text, text, text, text, text, timestamptz);

-- From 20261202000900: whom an agent on a call is talking to.
create or replace view public.agent_presence with (security_invoker = true) as
  select
    u.id,
    u.organization_id,
    u.display_name,
    u.email,
    open_call.id as current_call_id,
    open_call.to_number as current_call_phone_number,
    open_call.id is null as is_available,
    u.presence as chosen_presence,
    u.presence_changed_at,
    u.last_seen_at,
    coalesce(u.last_seen_at > now() - interval '150 seconds', false) as is_online,
    case
      when open_call.id is not null then 'on-call'
      when not coalesce(u.last_seen_at > now() - interval '150 seconds', false) then 'offline'
      else u.presence
    end as presence
  from public.voip_users u
  left join lateral (
    -- Whom the agent is talking to: the number called, or for a call to the team's number, the caller.
    select c.id, case when c.direction = 'inbound' then c.from_number else c.to_number end as to_number
    from public.calls c
    where c.assigned_to = u.id and public.call_is_open(c.status)
    order by c.created_at desc
    limit 1
  ) open_call on true;

-- From 20261124000200: one webhook applied to its call.
create or replace function public.record_call_event(
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
    v_terminal boolean := public.call_is_final(p_status);
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

-- From 20261124000200: open calls older than a bound, for the reconciler.
create or replace function public.list_stale_calls(p_older_than timestamptz, p_limit integer) returns setof jsonb
  language sql stable
  set search_path = ''
  as $$
    select public.call_to_json(c) from public.calls c
    where public.call_is_open(c.status) and c.created_at < p_older_than
    order by c.created_at limit p_limit
  $$;

-- From 20261201000100: the Voice URL's batch.
create or replace function public.place_outbound_calls(p_calls jsonb) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_item jsonb;
    v_results jsonb[] := '{}';
    v_result jsonb;
    v_agent_id uuid;
    v_org_id uuid;
    v_agent_name text;
    v_call public.calls;
    v_status text;
    v_error_code text;
    v_error_message text;
    v_recent bigint;
    v_org_recent bigint;
  begin
    if jsonb_typeof(p_calls) is distinct from 'array' then
      raise exception 'place_outbound_calls expects a JSON array of calls';
    end if;

    -- Lock the agents of the batch's calls to be checked up front, in id order, so that two batches on a PostgreSQL
    -- server never wait for each other in a cycle.
    perform 1 from public.voip_users u
      where u.id in (
        select (c ->> 'agent_id')::uuid from jsonb_array_elements(p_calls) c
        where c ->> 'error_code' is null
          and (c ->> 'agent_id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      )
      order by u.id
      for update;

    -- Then their organizations, also in id order (after every agent, so the order is the same in every batch): the
    -- organization's daily cap is counted under its lock.
    perform 1 from public.organizations o
      where o.id in (
        select u.organization_id from public.voip_users u
        where u.id in (
          select (c ->> 'agent_id')::uuid from jsonb_array_elements(p_calls) c
          where c ->> 'error_code' is null and c ->> 'org_limit_calls' is not null
            and (c ->> 'agent_id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        )
      )
      order by o.id
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
                where assigned_to = v_agent_id and public.call_is_open(status)
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
                if v_status <> 'failed' and (v_item ->> 'org_limit_calls') is not null then
                  select count(*) into v_org_recent from public.calls
                    where organization_id = v_org_id and created_at >= (v_item ->> 'org_limit_since')::timestamptz;
                  if v_org_recent >= (v_item ->> 'org_limit_calls')::integer then
                    v_status := 'failed';
                    v_error_code := 'organization-limit';
                    v_error_message := v_item ->> 'org_limited_message';
                  end if;
                end if;
              end if;
            end if;

            insert into public.calls (
              organization_id, direction, status, from_number, to_number, contact_name, assigned_to,
              twilio_call_sid, page_url, page_title, created_at, ended_at, error_code, error_message, extension
            ) values (
              v_org_id, 'outbound', v_status, v_item ->> 'from_number', v_item ->> 'to_number', v_item ->> 'contact_name', v_agent_id,
              v_item ->> 'twilio_call_sid', v_item ->> 'page_url', v_item ->> 'page_title', (v_item ->> 'created_at')::timestamptz,
              case when v_status = 'failed' then (v_item ->> 'created_at')::timestamptz end,
              v_error_code, v_error_message, v_item ->> 'extension'
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
      v_results := array_append(v_results, v_result);
    end loop;
    return to_jsonb(v_results);
  end
  $$;

-- From 20261202000400: whether the agent must wrap up a call first.
create or replace function public.pending_call_wrapup(p_agent_id uuid) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select jsonb_build_object('required', coalesce(o.wrapup_required, false), 'call', (
      select public.call_to_json(c) from (
        select c.* from public.calls c
        where o.wrapup_required and c.assigned_to = p_agent_id
          and not public.call_is_open(c.status)
          and exists (select 1 from public.call_events e where e.call_id = c.id)
        order by c.created_at desc, c.id desc
        limit 1
      ) c
      where not exists (select 1 from public.call_wrapups w where w.call_id = c.id)
    ))
    from public.voip_users u join public.organizations o on o.id = u.organization_id
    where u.id = p_agent_id
  $$;

-- From 20261202000800: saving a wrap-up.
create or replace function public.save_call_wrapup(
  p_agent_id uuid,
  p_call_id uuid,
  p_call_sid text,
  p_outcome_id uuid,
  p_notes text,
  p_follow_up_on date,
  p_now timestamptz
) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_org_id uuid;
    v_call public.calls;
    v_existing public.call_wrapups;
    v_outcome public.call_outcomes;
    v_wrapup public.call_wrapups;
  begin
    select organization_id into v_org_id from public.voip_users where id = p_agent_id;
    if v_org_id is null then
      return jsonb_build_object('error', 'no-such-call');
    end if;
    -- The call's row lock serializes two first wrap-ups of one call. By SID: the call's own, or, for a call to the
    -- team's number, the SID of an agent's <Client> leg (the call their softphone answered), found in its ledger.
    select * into v_call from public.calls c
      where c.organization_id = v_org_id
        and ((p_call_id is not null and c.id = p_call_id)
          or (p_call_id is null and p_call_sid is not null and (c.twilio_call_sid = p_call_sid or (c.direction = 'inbound' and c.id = (
            select e.call_id from public.call_events e where e.call_sid = p_call_sid and e.source = 'inbound-client' limit 1)))))
      for update;
    if v_call.id is null then
      return jsonb_build_object('error', 'no-such-call');
    end if;
    if public.call_is_open(v_call.status) then
      return jsonb_build_object('error', 'call-not-ended');
    end if;
    select * into v_existing from public.call_wrapups where call_id = v_call.id;
    if v_existing.call_id is null and v_call.assigned_to is distinct from p_agent_id then
      return jsonb_build_object('error', 'not-your-call');
    end if;
    if v_existing.call_id is not null and v_existing.written_by is distinct from p_agent_id then
      return jsonb_build_object('error', 'not-the-author');
    end if;
    select * into v_outcome from public.call_outcomes o where o.id = p_outcome_id and o.organization_id = v_org_id;
    -- An archived outcome may stay on a wrap-up that already has it; it cannot be chosen anew.
    if v_outcome.id is null or (v_outcome.archived and v_existing.outcome_id is distinct from v_outcome.id) then
      return jsonb_build_object('error', 'unknown-outcome');
    end if;

    -- One statement, insert or update, so the table's triggers (the call.wrapped_up webhook) see one change.
    insert into public.call_wrapups as w (call_id, organization_id, outcome_id, outcome_label, notes, follow_up_on, written_by, written_at, updated_at)
      values (v_call.id, v_org_id, v_outcome.id, v_outcome.label, coalesce(p_notes, ''), p_follow_up_on, p_agent_id, p_now, p_now)
      on conflict (call_id) do update set
        outcome_id = excluded.outcome_id, outcome_label = excluded.outcome_label, notes = excluded.notes,
        follow_up_on = excluded.follow_up_on, updated_at = excluded.updated_at
      where w.written_by = p_agent_id
      returning * into v_wrapup;
    if v_wrapup.call_id is null then
      return jsonb_build_object('error', 'not-the-author');
    end if;
    return jsonb_build_object('created', v_existing.call_id is null, 'call', public.call_to_json(v_call),
      'wrap_up', public.call_wrapup_to_json(v_wrapup));
  end
  $$;

-- From 20261202000500: a call to the organization's number.
create or replace function public.receive_inbound_call(
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
          select 1 from public.calls c where c.assigned_to = u.id and public.call_is_open(c.status)
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
