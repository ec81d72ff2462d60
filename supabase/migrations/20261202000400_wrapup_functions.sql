-- The wrap-up's functions: an agent saves or edits a call's wrap-up (only the call's agent writes the first one, only
-- its author edits it, same organization, one of the organization's outcomes), history and the CSV export read the
-- wrap-ups, the Voice URL asks whether a required wrap-up is missing, and admins manage outcomes and the setting.
-- Every one is executed by the backend (service role) after it has identified the agent; agents only read (RLS).

-- The wrap-up of a call as the API shows it, with its author's name.
create function public.call_wrapup_to_json(w public.call_wrapups) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select jsonb_build_object(
      'call_id', w.call_id, 'outcome_id', w.outcome_id, 'outcome_label', w.outcome_label, 'notes', w.notes,
      'follow_up_on', w.follow_up_on, 'written_by', w.written_by,
      'written_by_name', (select u.display_name from public.voip_users u where u.id = w.written_by),
      'written_at', w.written_at, 'updated_at', w.updated_at)
  $$;

-- Saves the wrap-up of a call, or edits it, for an agent. The call is found by id or by its Twilio CallSid (the
-- extension knows the SID of the call it just ended). The answer is {"call": ..., "wrap_up": ..., "created": bool}
-- or {"error": code}: 'no-such-call' (also for another organization's call, which must not be told apart),
-- 'call-not-ended', 'not-your-call' (a first wrap-up by another agent), 'not-the-author' (an edit by another agent),
-- 'unknown-outcome' (not one of the organization's outcomes, or archived).
create function public.save_call_wrapup(
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
    -- The call's row lock serializes two first wrap-ups of one call.
    select * into v_call from public.calls c
      where c.organization_id = v_org_id
        and ((p_call_id is not null and c.id = p_call_id) or (p_call_id is null and p_call_sid is not null and c.twilio_call_sid = p_call_sid))
      for update;
    if v_call.id is null then
      return jsonb_build_object('error', 'no-such-call');
    end if;
    if v_call.status in ('initiated', 'ringing', 'in-progress') then
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

-- The wrap-ups of some of an organization's calls (a page of history); other organizations' calls give nothing.
-- Arrays travel as JSON (supabase-js sends JSON; one form for both stores).
create function public.list_call_wrapups(p_organization_id uuid, p_call_ids jsonb) returns setof jsonb
  language sql stable
  set search_path = ''
  as $$
    select public.call_wrapup_to_json(w) from public.call_wrapups w
    where w.organization_id = p_organization_id
      and w.call_id in (select (x #>> '{}')::uuid from jsonb_array_elements(p_call_ids) x)
  $$;

-- Whether the agent must wrap up a call before the next one: when their organization requires wrap-ups, the call is
-- their last ended call if it has none. Calls the backend refused never reached Twilio (they have no call event) and
-- ask for no wrap-up. {"required": bool, "call": call or null}.
create function public.pending_call_wrapup(p_agent_id uuid) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select jsonb_build_object('required', coalesce(o.wrapup_required, false), 'call', (
      select public.call_to_json(c) from (
        select c.* from public.calls c
        where o.wrapup_required and c.assigned_to = p_agent_id
          and c.status not in ('initiated', 'ringing', 'in-progress')
          and exists (select 1 from public.call_events e where e.call_id = c.id)
        order by c.created_at desc, c.id desc
        limit 1
      ) c
      where not exists (select 1 from public.call_wrapups w where w.call_id = c.id)
    ))
    from public.voip_users u join public.organizations o on o.id = u.organization_id
    where u.id = p_agent_id
  $$;

-- The Voice URL's database step with the check above: place_outbound_calls, each call whose agent must wrap up first
-- refused with the request's wrap_up_message (stored as failed with 'wrap-up-required'), in the same statement.
create function public.place_outbound_calls_after_wrapup(p_calls jsonb) returns jsonb
  language sql
  set search_path = ''
  as $$
    select public.place_outbound_calls(case when jsonb_typeof(p_calls) = 'array' then coalesce((
      select jsonb_agg(
        case when c ->> 'error_code' is null and c ->> 'wrap_up_message' is not null
              and (c ->> 'agent_id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
              and jsonb_typeof(public.pending_call_wrapup((c ->> 'agent_id')::uuid) -> 'call') = 'object'
          then c || jsonb_build_object('error_code', 'wrap-up-required', 'error_message', c ->> 'wrap_up_message')
          else c end
        order by x.n)
      from jsonb_array_elements(p_calls) with ordinality as x(c, n)
    ), p_calls) else p_calls end)
  $$;

-- The agent's calls by creation, for the Voice URL's check above.
create index calls_assigned_created_idx on public.calls (assigned_to, created_at desc, id desc);

-- The organization's outcomes in order (archived ones only when asked) and whether wrap-up is required.
create function public.list_call_outcomes(p_organization_id uuid, p_include_archived boolean) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select jsonb_build_object(
      'wrapup_required', (select wrapup_required from public.organizations where id = p_organization_id),
      'outcomes', coalesce((
        select jsonb_agg(to_jsonb(o) order by o.position, o.label) from public.call_outcomes o
        where o.organization_id = p_organization_id and (p_include_archived or not o.archived)
      ), '[]'::jsonb))
  $$;

-- A JSON array of strings as text[] (null stays null).
create function public.text_array(p jsonb) returns text[]
  language sql immutable
  set search_path = ''
  as $$ select case when p is null or jsonb_typeof(p) = 'null' then null else array(select jsonb_array_elements_text(p)) end $$;

-- Admins: a new outcome. {"outcome": ...} or {"error": 'duplicate-label'}.
create function public.add_call_outcome(p_organization_id uuid, p_label text, p_matches_statuses jsonb, p_position integer) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_outcome public.call_outcomes;
  begin
    insert into public.call_outcomes (organization_id, label, matches_statuses, position)
      values (p_organization_id, p_label, coalesce(public.text_array(p_matches_statuses), '{}'),
        coalesce(p_position, (select coalesce(max(position), 0) + 10 from public.call_outcomes where organization_id = p_organization_id)))
      on conflict (organization_id, label) do nothing
      returning * into v_outcome;
    if v_outcome.id is null then
      return jsonb_build_object('error', 'duplicate-label');
    end if;
    return jsonb_build_object('outcome', to_jsonb(v_outcome));
  end
  $$;

-- Admins: changes an outcome of their organization (null arguments keep the value). {"outcome"} or {"error"}:
-- 'no-such-outcome' (also another organization's), 'duplicate-label'.
create function public.update_call_outcome(
  p_organization_id uuid, p_outcome_id uuid, p_label text, p_matches_statuses jsonb, p_position integer, p_archived boolean
) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_outcome public.call_outcomes;
  begin
    update public.call_outcomes set
      label = coalesce(p_label, label), matches_statuses = coalesce(public.text_array(p_matches_statuses), matches_statuses),
      position = coalesce(p_position, position), archived = coalesce(p_archived, archived)
    where id = p_outcome_id and organization_id = p_organization_id
    returning * into v_outcome;
    if v_outcome.id is null then
      return jsonb_build_object('error', 'no-such-outcome');
    end if;
    return jsonb_build_object('outcome', to_jsonb(v_outcome));
  exception when unique_violation then
    return jsonb_build_object('error', 'duplicate-label');
  end
  $$;

-- Admins: whether the organization requires a wrap-up before the next call.
create function public.set_wrapup_required(p_organization_id uuid, p_required boolean) returns boolean
  language sql
  set search_path = ''
  as $$ update public.organizations set wrapup_required = p_required where id = p_organization_id returning wrapup_required $$;

-- The organization's calls with their wrap-ups for the CSV export, newest first, filtered, after a (created_at, id)
-- cursor; read in batches so the export streams.
create function public.export_calls(
  p_organization_id uuid, p_from timestamptz, p_to timestamptz, p_agent_id uuid, p_outcome_id uuid,
  p_limit integer, p_before_created_at timestamptz, p_before_id uuid
) returns setof jsonb
  language sql stable
  set search_path = ''
  as $$
    select public.call_to_json(c) || jsonb_build_object('wrap_up', case when w.call_id is null then null else public.call_wrapup_to_json(w) end)
    from public.calls c
    left join public.call_wrapups w on w.call_id = c.id
    where c.organization_id = p_organization_id
      and (p_from is null or c.created_at >= p_from)
      and (p_to is null or c.created_at < p_to)
      and (p_agent_id is null or c.assigned_to = p_agent_id)
      and (p_outcome_id is null or w.outcome_id = p_outcome_id)
      and (p_before_created_at is null or (c.created_at, c.id) < (p_before_created_at, p_before_id))
    order by c.created_at desc, c.id desc
    limit p_limit
  $$;

do $grants$
declare
  fn text;
begin
  foreach fn in array array[
    'public.call_wrapup_to_json(public.call_wrapups)',
    'public.save_call_wrapup(uuid, uuid, text, uuid, text, date, timestamptz)',
    'public.list_call_wrapups(uuid, jsonb)',
    'public.text_array(jsonb)',
    'public.pending_call_wrapup(uuid)',
    'public.place_outbound_calls_after_wrapup(jsonb)',
    'public.list_call_outcomes(uuid, boolean)',
    'public.add_call_outcome(uuid, text, jsonb, integer)',
    'public.update_call_outcome(uuid, uuid, text, jsonb, integer, boolean)',
    'public.set_wrapup_required(uuid, boolean)',
    'public.export_calls(uuid, timestamptz, timestamptz, uuid, uuid, integer, timestamptz, uuid)'
  ] loop
    execute format('revoke execute on function %s from public, anon, authenticated', fn);
    execute format('grant execute on function %s to service_role', fn);
  end loop;
end
$grants$;
