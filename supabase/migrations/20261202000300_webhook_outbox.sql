-- Outgoing webhooks (Standard Webhooks): each organization's endpoints, an outbox of events written by triggers in the
-- same transaction as the call or wrap-up change that causes them, one delivery per event and endpoint, and every
-- attempt. Agents read nothing here; admins read their organization's endpoints (never the secrets) and deliveries.
-- Every write goes through the functions below, executed by the backend (service_role).

-- Whether the requesting Supabase user is an admin (security definer: policies use it without recursing through
-- voip_users' own policy).
create function public.current_agent_is_admin() returns boolean
  language sql stable security definer
  set search_path = ''
  as $$ select coalesce((select role = 'admin' from public.voip_users where id = (select auth.uid())), false) $$;
revoke execute on function public.current_agent_is_admin() from public, anon;
grant execute on function public.current_agent_is_admin() to authenticated, service_role;

create table public.webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references public.organizations (id) on delete cascade,
  url text not null check (length(url) between 8 and 2000 and url ~ '^https?://'),
  events text[] not null check (cardinality(events) between 1 and 4
    and events <@ array['call.started', 'call.answered', 'call.completed', 'call.wrapped_up']),
  description text not null default '' check (length(description) <= 200),
  -- The signing secret, `whsec_` + base64 of 32 random bytes; shown once, at creation and at each rotation.
  secret text not null check (secret ~ '^whsec_[A-Za-z0-9+/=]{40,}$'),
  enabled boolean not null default true,
  disabled_reason text,
  disabled_at timestamptz,
  -- Failed attempts in a row (reset by a success) and since when: a long run disables the endpoint.
  failure_run integer not null default 0,
  failing_since timestamptz,
  created_at timestamptz not null default now(),
  secret_rotated_at timestamptz not null default now()
);
alter table public.webhook_endpoints enable row level security;
create index webhook_endpoints_organization_idx on public.webhook_endpoints (organization_id) where enabled;
create policy "Admins can read their organization's webhook endpoints, without the secrets" on public.webhook_endpoints
  for select to authenticated
  using (organization_id = (select public.current_organization_id()) and (select public.current_agent_is_admin()));

-- The outbox: one row per event, its data as of the change that caused it.
create table public.webhook_events (
  id uuid primary key default gen_random_uuid(),
  -- Orders a call's events: deliveries to one endpoint follow it.
  sequence bigint generated always as identity unique,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  call_id uuid references public.calls (id) on delete cascade,
  type text not null check (type in ('call.started', 'call.answered', 'call.completed', 'call.wrapped_up', 'ping')),
  data jsonb not null,
  created_at timestamptz not null default now()
);
alter table public.webhook_events enable row level security;
-- Twilio's callbacks arrive out of order and more than once: each call event exists at most once per call.
create unique index webhook_events_once_per_call on public.webhook_events (call_id, type)
  where type in ('call.started', 'call.answered', 'call.completed');
create index webhook_events_organization_idx on public.webhook_events (organization_id, created_at desc);
create policy "Admins can read their organization's webhook events" on public.webhook_events
  for select to authenticated
  using (organization_id = (select public.current_organization_id()) and (select public.current_agent_is_admin()));

create table public.webhook_deliveries (
  id bigint generated always as identity primary key,
  event_id uuid not null references public.webhook_events (id) on delete cascade,
  endpoint_id uuid not null references public.webhook_endpoints (id) on delete cascade,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  -- Copied from the event, so that the worker keeps each call's events in order per endpoint.
  call_id uuid,
  event_sequence bigint not null,
  state text not null default 'pending' check (state in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  -- Claimed by a worker until then (FOR UPDATE SKIP LOCKED): another instance takes it only after a crash.
  leased_until timestamptz,
  last_error text,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  unique (event_id, endpoint_id)
);
alter table public.webhook_deliveries enable row level security;
create index webhook_deliveries_due_idx on public.webhook_deliveries (endpoint_id, next_attempt_at, id) where state = 'pending';
create index webhook_deliveries_call_idx on public.webhook_deliveries (endpoint_id, call_id, event_sequence) where state = 'pending';
create index webhook_deliveries_leased_idx on public.webhook_deliveries (endpoint_id) where state = 'pending' and leased_until is not null;
create index webhook_deliveries_recent_idx on public.webhook_deliveries (organization_id, created_at desc);
create policy "Admins can read their organization's webhook deliveries" on public.webhook_deliveries
  for select to authenticated
  using (organization_id = (select public.current_organization_id()) and (select public.current_agent_is_admin()));

create table public.webhook_attempts (
  id bigint generated always as identity primary key,
  delivery_id bigint not null references public.webhook_deliveries (id) on delete cascade,
  organization_id uuid not null references public.organizations (id) on delete cascade,
  attempted_at timestamptz not null default now(),
  ok boolean not null,
  status_code integer,
  latency_ms integer not null check (latency_ms >= 0),
  error text check (error is null or length(error) <= 500)
);
alter table public.webhook_attempts enable row level security;
create index webhook_attempts_delivery_idx on public.webhook_attempts (delivery_id, attempted_at);
create policy "Admins can read their organization's webhook attempts" on public.webhook_attempts
  for select to authenticated
  using (organization_id = (select public.current_organization_id()) and (select public.current_agent_is_admin()));

-- Admins may read every column but the secret (column privileges: row level security cannot hide a column). Supabase's
-- default privileges grant anon and authenticated everything on new tables, so that is taken back first.
revoke all on public.webhook_endpoints, public.webhook_events, public.webhook_deliveries, public.webhook_attempts from anon, authenticated;
grant select (id, organization_id, url, events, description, enabled, disabled_reason, disabled_at, failure_run, failing_since,
  created_at, secret_rotated_at) on public.webhook_endpoints to authenticated;
grant select on public.webhook_events, public.webhook_deliveries, public.webhook_attempts to authenticated;
grant all on public.webhook_endpoints, public.webhook_events, public.webhook_deliveries, public.webhook_attempts to service_role;

-- ---- The events' data (the JSON shapes are backend/webhooks/webhook-payload.ts; a test parses these with them) ----

create function public.webhook_wrapup_json(p_call_id uuid) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select jsonb_build_object(
      'outcome', w.outcome_label,
      'notes', w.notes,
      'followUpOn', w.follow_up_on,
      'writtenBy', case when u.id is null then null else jsonb_build_object('id', u.id, 'name', u.display_name, 'email', u.email) end,
      'writtenAt', w.written_at,
      'updatedAt', w.updated_at)
    from public.call_wrapups w left join public.voip_users u on u.id = w.written_by
    where w.call_id = p_call_id
  $$;

create function public.webhook_call_json(c public.calls) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select jsonb_build_object(
      'call', jsonb_build_object(
        'id', c.id,
        'direction', c.direction,
        'status', c.status,
        'from', c.from_number,
        'to', c.to_number,
        'contactName', c.contact_name,
        'pageUrl', c.page_url,
        'pageTitle', c.page_title,
        'agent', (select jsonb_build_object('id', u.id, 'name', u.display_name, 'email', u.email) from public.voip_users u where u.id = c.assigned_to),
        'startedAt', c.created_at,
        'answeredAt', c.answered_at,
        'endedAt', c.ended_at,
        'durationSeconds', c.duration,
        'extension', c.extension,
        'errorCode', c.error_code,
        'errorMessage', c.error_message,
        'twilioCallSid', c.twilio_call_sid),
      'wrapUp', public.webhook_wrapup_json(c.id))
  $$;

-- Writes one event and its deliveries to the organization's enabled endpoints that subscribe to it, in the caller's
-- transaction. Nothing when no endpoint wants it; nothing when the call already has this event (a repeated callback).
create function public.enqueue_webhook_event(p_organization_id uuid, p_call_id uuid, p_type text, p_data jsonb) returns uuid
  language plpgsql
  security definer
  set search_path = ''
  as $$
  declare
    v_event public.webhook_events;
  begin
    if not exists (select 1 from public.webhook_endpoints e
                   where e.organization_id = p_organization_id and e.enabled and p_type = any (e.events)) then
      return null;
    end if;
    insert into public.webhook_events (organization_id, call_id, type, data)
    values (p_organization_id, p_call_id, p_type, p_data)
    on conflict (call_id, type) where type in ('call.started', 'call.answered', 'call.completed') do nothing
    returning * into v_event;
    if v_event.id is null then
      return null;
    end if;
    insert into public.webhook_deliveries (event_id, endpoint_id, organization_id, call_id, event_sequence)
    select v_event.id, e.id, e.organization_id, v_event.call_id, v_event.sequence
    from public.webhook_endpoints e
    where e.organization_id = p_organization_id and e.enabled and p_type = any (e.events);
    return v_event.id;
  end
  $$;
revoke execute on function public.enqueue_webhook_event(uuid, uuid, text, jsonb) from public, anon, authenticated;

-- call.started when a call is created; call.answered when it is first answered before it ended (an answer reported
-- after the end would arrive after call.completed; call.completed carries answeredAt); call.completed when it first
-- reaches a final status. A call created already final (a refused number) gets call.started then call.completed.
create function public.calls_enqueue_webhooks() returns trigger
  language plpgsql
  security definer
  set search_path = ''
  as $$
  begin
    -- Most organizations have no endpoint: then Twilio's webhooks pay for this one index lookup only.
    if (tg_op = 'UPDATE' and old.answered_at is not distinct from new.answered_at and old.ended_at is not distinct from new.ended_at)
       or not exists (select 1 from public.webhook_endpoints e where e.organization_id = new.organization_id and e.enabled) then
      return null;
    end if;
    if tg_op = 'INSERT' then
      perform public.enqueue_webhook_event(new.organization_id, new.id, 'call.started', public.webhook_call_json(new));
      if new.ended_at is not null then
        perform public.enqueue_webhook_event(new.organization_id, new.id, 'call.completed', public.webhook_call_json(new));
      end if;
      return null;
    end if;
    if old.answered_at is null and new.answered_at is not null and old.ended_at is null then
      perform public.enqueue_webhook_event(new.organization_id, new.id, 'call.answered', public.webhook_call_json(new));
    end if;
    if old.ended_at is null and new.ended_at is not null then
      perform public.enqueue_webhook_event(new.organization_id, new.id, 'call.completed', public.webhook_call_json(new));
    end if;
    return null;
  end
  $$;
revoke execute on function public.calls_enqueue_webhooks() from public, anon, authenticated;

create trigger calls_enqueue_webhooks after insert or update on public.calls
  for each row execute function public.calls_enqueue_webhooks();

-- call.wrapped_up each time a wrap-up is saved with a change.
create function public.call_wrapups_enqueue_webhooks() returns trigger
  language plpgsql
  security definer
  set search_path = ''
  as $$
  declare
    v_call public.calls;
  begin
    if tg_op = 'UPDATE' and new is not distinct from old then
      return null;
    end if;
    select * into v_call from public.calls where id = new.call_id;
    if v_call.id is not null then
      perform public.enqueue_webhook_event(v_call.organization_id, v_call.id, 'call.wrapped_up', public.webhook_call_json(v_call));
    end if;
    return null;
  end
  $$;
revoke execute on function public.call_wrapups_enqueue_webhooks() from public, anon, authenticated;

create trigger call_wrapups_enqueue_webhooks after insert or update on public.call_wrapups
  for each row execute function public.call_wrapups_enqueue_webhooks();

-- ---- Managing endpoints (admins, through the backend) ----

create function public.webhook_endpoint_json(e public.webhook_endpoints) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select jsonb_build_object('id', e.id, 'url', e.url, 'events', to_jsonb(e.events), 'description', e.description,
      'enabled', e.enabled, 'disabled_reason', e.disabled_reason, 'disabled_at', e.disabled_at, 'failure_run', e.failure_run,
      'failing_since', e.failing_since, 'created_at', e.created_at, 'secret_rotated_at', e.secret_rotated_at)
  $$;

-- p_events is a JSON array of event names (supabase.rpc sends JSON).
create function public.add_webhook_endpoint(p_organization_id uuid, p_url text, p_events jsonb, p_description text, p_secret text)
  returns jsonb
  language sql
  set search_path = ''
  as $$
    insert into public.webhook_endpoints (organization_id, url, events, description, secret)
    values (p_organization_id, p_url, array(select jsonb_array_elements_text(p_events)), coalesce(p_description, ''), p_secret)
    returning public.webhook_endpoint_json(webhook_endpoints)
  $$;

create function public.list_webhook_endpoints(p_organization_id uuid) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select coalesce(jsonb_agg(public.webhook_endpoint_json(e) order by e.created_at), '[]'::jsonb)
    from public.webhook_endpoints e where e.organization_id = p_organization_id
  $$;

create function public.remove_webhook_endpoint(p_organization_id uuid, p_endpoint_id uuid) returns boolean
  language sql
  set search_path = ''
  as $$
    with gone as (delete from public.webhook_endpoints where id = p_endpoint_id and organization_id = p_organization_id returning 1)
    select exists (select 1 from gone)
  $$;

create function public.rotate_webhook_secret(p_organization_id uuid, p_endpoint_id uuid, p_secret text) returns jsonb
  language sql
  set search_path = ''
  as $$
    update public.webhook_endpoints set secret = p_secret, secret_rotated_at = now()
    where id = p_endpoint_id and organization_id = p_organization_id
    returning public.webhook_endpoint_json(webhook_endpoints)
  $$;

-- Enabling again clears the failure run; what was still pending is delivered.
create function public.set_webhook_endpoint_enabled(p_organization_id uuid, p_endpoint_id uuid, p_enabled boolean) returns jsonb
  language sql
  set search_path = ''
  as $$
    update public.webhook_endpoints set enabled = p_enabled,
      disabled_reason = case when p_enabled then null else 'An admin disabled it.' end,
      disabled_at = case when p_enabled then null else now() end,
      failure_run = case when p_enabled then 0 else failure_run end,
      failing_since = case when p_enabled then null else failing_since end
    where id = p_endpoint_id and organization_id = p_organization_id
    returning public.webhook_endpoint_json(webhook_endpoints)
  $$;

-- A ping to one endpoint, whatever it subscribes to; the delivery's id, or null for no such endpoint.
create function public.enqueue_webhook_ping(p_organization_id uuid, p_endpoint_id uuid) returns bigint
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_event public.webhook_events;
    v_delivery bigint;
  begin
    if not exists (select 1 from public.webhook_endpoints where id = p_endpoint_id and organization_id = p_organization_id) then
      return null;
    end if;
    insert into public.webhook_events (organization_id, call_id, type, data)
    values (p_organization_id, null, 'ping', jsonb_build_object('endpointId', p_endpoint_id, 'message', 'This is a test event from click-to-call.'))
    returning * into v_event;
    insert into public.webhook_deliveries (event_id, endpoint_id, organization_id, call_id, event_sequence)
    values (v_event.id, p_endpoint_id, p_organization_id, null, v_event.sequence)
    returning id into v_delivery;
    return v_delivery;
  end
  $$;

-- The organization's latest deliveries (optionally one endpoint's), each with its event and latest attempt.
create function public.list_webhook_deliveries(p_organization_id uuid, p_endpoint_id uuid, p_limit integer) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select coalesce(jsonb_agg(row order by (row ->> 'id')::bigint desc), '[]'::jsonb)
    from (
      select jsonb_build_object('id', d.id, 'endpoint_id', d.endpoint_id, 'event_id', ev.id, 'type', ev.type, 'call_id', d.call_id,
        'state', d.state, 'attempts', d.attempts, 'next_attempt_at', case when d.state = 'pending' then d.next_attempt_at end,
        'last_error', d.last_error, 'delivered_at', d.delivered_at, 'created_at', d.created_at,
        'last_attempt', (select jsonb_build_object('at', a.attempted_at, 'ok', a.ok, 'status_code', a.status_code, 'latency_ms', a.latency_ms, 'error', a.error)
                         from public.webhook_attempts a where a.delivery_id = d.id order by a.id desc limit 1)) as row
      from public.webhook_deliveries d join public.webhook_events ev on ev.id = d.event_id
      where d.organization_id = p_organization_id and (p_endpoint_id is null or d.endpoint_id = p_endpoint_id)
      order by d.id desc
      limit least(greatest(p_limit, 1), 200)
    ) recent
  $$;

-- ---- The delivery worker ----

-- Claims up to p_limit due deliveries for p_lease_seconds, skipping rows another instance holds (FOR UPDATE SKIP
-- LOCKED) and leased ones, at most p_per_endpoint under way per endpoint (across instances), endpoints served in turn,
-- and only a call's earliest pending event per endpoint, so that each endpoint receives a call's events in order.
create function public.claim_webhook_deliveries(p_limit integer, p_per_endpoint integer, p_lease_seconds integer) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_claimed jsonb;
  begin
    with busy as (
      select l.endpoint_id, count(*) as leased from public.webhook_deliveries l
      where l.state = 'pending' and l.leased_until >= now()
      group by l.endpoint_id
    ),
    -- Endpoints with room left; those at their limit are left out before anything is locked.
    open_endpoints as (
      select e.id from public.webhook_endpoints e left join busy b on b.endpoint_id = e.id
      where e.enabled and coalesce(b.leased, 0) < p_per_endpoint
    ),
    -- Each endpoint's own oldest due deliveries, so that one endpoint's backlog never hides another's.
    candidates as (
      select c.id, c.endpoint_id, c.next_attempt_at
      from open_endpoints oe
      cross join lateral (
        select d.id, d.endpoint_id, d.next_attempt_at
        from public.webhook_deliveries d
        where d.endpoint_id = oe.id and d.state = 'pending' and d.next_attempt_at <= now()
          and (d.leased_until is null or d.leased_until < now())
          and not exists (
            select 1 from public.webhook_deliveries p
            where p.endpoint_id = d.endpoint_id and p.call_id = d.call_id and p.state = 'pending' and p.event_sequence < d.event_sequence)
        order by d.next_attempt_at, d.id
        limit p_per_endpoint
        for update of d skip locked
      ) c
    ),
    ranked as (
      select c.id, row_number() over (partition by c.endpoint_id order by c.next_attempt_at, c.id) + coalesce(b.leased, 0) as slot,
        c.next_attempt_at
      from candidates c left join busy b on b.endpoint_id = c.endpoint_id
    ),
    -- Round robin: every endpoint's next slot before any endpoint's slot after it (a slow endpoint, always busy, waits).
    chosen as (
      select id from ranked where slot <= p_per_endpoint order by slot, next_attempt_at, id limit p_limit
    ),
    leased as (
      update public.webhook_deliveries d set leased_until = now() + make_interval(secs => p_lease_seconds), attempts = d.attempts + 1
      from chosen where d.id = chosen.id
      returning d.*
    )
    select coalesce(jsonb_agg(jsonb_build_object(
      'delivery_id', l.id, 'attempt', l.attempts, 'endpoint_id', l.endpoint_id, 'url', e.url, 'secret', e.secret,
      'event_id', ev.id, 'type', ev.type, 'data', ev.data, 'event_created_at', ev.created_at) order by l.event_sequence), '[]'::jsonb)
    into v_claimed
    from leased l
    join public.webhook_endpoints e on e.id = l.endpoint_id
    join public.webhook_events ev on ev.id = l.event_id;
    return v_claimed;
  end
  $$;

-- Records one attempt and settles the delivery: delivered; retried in p_retry_in_seconds; or, with p_retry_in_seconds
-- null, given up. A failure lengthens the endpoint's failure run; p_disable_after_failures failures in a row lasting at
-- least p_disable_after_seconds disable it. Returns whether this attempt disabled the endpoint.
create function public.record_webhook_attempt(
  p_delivery_id bigint,
  p_ok boolean,
  p_status_code integer,
  p_latency_ms integer,
  p_error text,
  p_retry_in_seconds double precision,
  p_disable_after_failures integer,
  p_disable_after_seconds integer
) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_delivery public.webhook_deliveries;
    v_endpoint public.webhook_endpoints;
    v_error text := left(p_error, 500);
  begin
    update public.webhook_deliveries d set
      leased_until = null,
      state = case when p_ok then 'delivered' when p_retry_in_seconds is null then 'failed' else 'pending' end,
      delivered_at = case when p_ok then now() end,
      last_error = case when p_ok then null else v_error end,
      next_attempt_at = case when p_ok or p_retry_in_seconds is null then d.next_attempt_at
                             else now() + make_interval(secs => p_retry_in_seconds) end
    where d.id = p_delivery_id
    returning * into v_delivery;
    if v_delivery.id is null then
      return jsonb_build_object('found', false);
    end if;
    insert into public.webhook_attempts (delivery_id, organization_id, ok, status_code, latency_ms, error)
    values (p_delivery_id, v_delivery.organization_id, p_ok, p_status_code, greatest(p_latency_ms, 0), v_error);

    if p_ok then
      update public.webhook_endpoints set failure_run = 0, failing_since = null
      where id = v_delivery.endpoint_id and failure_run > 0;
      return jsonb_build_object('found', true, 'disabled', false);
    end if;
    update public.webhook_endpoints e set failure_run = e.failure_run + 1, failing_since = coalesce(e.failing_since, now())
    where e.id = v_delivery.endpoint_id
    returning * into v_endpoint;
    if v_endpoint.enabled and v_endpoint.failure_run >= p_disable_after_failures
       and v_endpoint.failing_since <= now() - make_interval(secs => p_disable_after_seconds) then
      update public.webhook_endpoints set enabled = false, disabled_at = now(),
        disabled_reason = format('Disabled after %s failed deliveries in a row since %s (last: %s). Fix the endpoint, then enable it again: what is still pending is delivered.',
          v_endpoint.failure_run, to_char(v_endpoint.failing_since at time zone 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'), coalesce(v_error, 'no answer'))
      where id = v_endpoint.id;
      return jsonb_build_object('found', true, 'disabled', true, 'endpoint_id', v_endpoint.id, 'organization_id', v_endpoint.organization_id,
        'url', v_endpoint.url);
    end if;
    return jsonb_build_object('found', true, 'disabled', false);
  end
  $$;

-- Several attempts in one call (the worker records what finished together): each as record_webhook_attempt; returns
-- the endpoints these attempts disabled.
create function public.record_webhook_attempts(p_attempts jsonb, p_disable_after_failures integer, p_disable_after_seconds integer) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_item jsonb;
    v_result jsonb;
    v_disabled jsonb := '[]'::jsonb;
  begin
    for v_item in select * from jsonb_array_elements(p_attempts) loop
      v_result := public.record_webhook_attempt((v_item ->> 'delivery_id')::bigint, (v_item ->> 'ok')::boolean,
        (v_item ->> 'status_code')::integer, (v_item ->> 'latency_ms')::integer, v_item ->> 'error',
        (v_item ->> 'retry_in_seconds')::double precision, p_disable_after_failures, p_disable_after_seconds);
      if (v_result ->> 'disabled')::boolean then
        v_disabled := v_disabled || jsonb_build_array(v_result);
      end if;
    end loop;
    return v_disabled;
  end
  $$;

-- Gives leases back without counting an attempt (a worker stopping cleanly).
create function public.release_webhook_deliveries(p_delivery_ids jsonb) returns void
  language sql
  set search_path = ''
  as $$
    update public.webhook_deliveries set leased_until = null, attempts = greatest(attempts - 1, 0)
    where id in (select (jsonb_array_elements_text(p_delivery_ids))::bigint) and state = 'pending'
  $$;

revoke execute on function
  public.webhook_wrapup_json(uuid), public.webhook_call_json(public.calls), public.webhook_endpoint_json(public.webhook_endpoints),
  public.add_webhook_endpoint(uuid, text, jsonb, text, text), public.list_webhook_endpoints(uuid),
  public.remove_webhook_endpoint(uuid, uuid), public.rotate_webhook_secret(uuid, uuid, text),
  public.set_webhook_endpoint_enabled(uuid, uuid, boolean), public.enqueue_webhook_ping(uuid, uuid),
  public.list_webhook_deliveries(uuid, uuid, integer), public.claim_webhook_deliveries(integer, integer, integer),
  public.record_webhook_attempt(bigint, boolean, integer, integer, text, double precision, integer, integer),
  public.record_webhook_attempts(jsonb, integer, integer),
  public.release_webhook_deliveries(jsonb)
  from public, anon, authenticated;
grant execute on function
  public.webhook_wrapup_json(uuid), public.webhook_call_json(public.calls), public.webhook_endpoint_json(public.webhook_endpoints),
  public.add_webhook_endpoint(uuid, text, jsonb, text, text), public.list_webhook_endpoints(uuid),
  public.remove_webhook_endpoint(uuid, uuid), public.rotate_webhook_secret(uuid, uuid, text),
  public.set_webhook_endpoint_enabled(uuid, uuid, boolean), public.enqueue_webhook_ping(uuid, uuid),
  public.list_webhook_deliveries(uuid, uuid, integer), public.claim_webhook_deliveries(integer, integer, integer),
  public.record_webhook_attempt(bigint, boolean, integer, integer, text, double precision, integer, integer),
  public.record_webhook_attempts(jsonb, integer, integer),
  public.release_webhook_deliveries(jsonb)
  to service_role;
