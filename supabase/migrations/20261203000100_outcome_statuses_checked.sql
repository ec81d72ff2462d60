-- Which call results pre-select an outcome, as admins edit them: only a call's final result (completed, busy, no-answer,
-- failed, canceled), each result pre-selecting one active outcome at most, so the wrap-up never has to guess between two.
-- The outcome functions keep their signatures (and so their grants); they now refuse a result another outcome has.

-- Results that never end a call (ringing…) pre-selected nothing anyway: dropped before the check.
update public.call_outcomes set matches_statuses = array(
    select s from unnest(matches_statuses) as s where s in ('completed', 'busy', 'no-answer', 'failed', 'canceled'))
  where not matches_statuses <@ array['completed', 'busy', 'no-answer', 'failed', 'canceled']::text[];
alter table public.call_outcomes add constraint call_outcomes_matches_final_results
  check (matches_statuses <@ array['completed', 'busy', 'no-answer', 'failed', 'canceled']::text[]);

-- The active outcome of the organization, other than p_except, that a result in p_statuses already pre-selects; null if none.
create function public.outcome_status_taken(p_organization_id uuid, p_except uuid, p_statuses text[]) returns jsonb
  language sql stable
  set search_path = ''
  as $$
    select jsonb_build_object('error', 'status-taken', 'status', s.status, 'label', o.label)
    from public.call_outcomes o cross join lateral unnest(o.matches_statuses) as s (status)
    where o.organization_id = p_organization_id and o.id is distinct from p_except and not o.archived and s.status = any (p_statuses)
    order by o.position, o.label, s.status
    limit 1
  $$;

-- Admins: a new outcome. {"outcome": ...} or {"error": 'duplicate-label'} or {"error": 'status-taken', "status", "label"}.
create or replace function public.add_call_outcome(p_organization_id uuid, p_label text, p_matches_statuses jsonb, p_position integer) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_outcome public.call_outcomes;
    v_taken jsonb;
  begin
    -- One change of an organization's outcomes at a time: two admins cannot give the same result to two outcomes.
    perform pg_advisory_xact_lock(hashtextextended('call_outcomes:' || p_organization_id::text, 0));
    v_taken := public.outcome_status_taken(p_organization_id, null, coalesce(public.text_array(p_matches_statuses), '{}'));
    if v_taken is not null then
      return v_taken;
    end if;
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
-- 'no-such-outcome' (also another organization's), 'duplicate-label', 'status-taken' (with "status" and "label": an
-- active outcome that result already pre-selects; also when restoring an archived outcome).
create or replace function public.update_call_outcome(
  p_organization_id uuid, p_outcome_id uuid, p_label text, p_matches_statuses jsonb, p_position integer, p_archived boolean
) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_current public.call_outcomes;
    v_outcome public.call_outcomes;
    v_taken jsonb;
  begin
    perform pg_advisory_xact_lock(hashtextextended('call_outcomes:' || p_organization_id::text, 0));
    select * into v_current from public.call_outcomes where id = p_outcome_id and organization_id = p_organization_id;
    if v_current.id is null then
      return jsonb_build_object('error', 'no-such-outcome');
    end if;
    if not coalesce(p_archived, v_current.archived) then
      v_taken := public.outcome_status_taken(p_organization_id, p_outcome_id, coalesce(public.text_array(p_matches_statuses), v_current.matches_statuses));
      if v_taken is not null then
        return v_taken;
      end if;
    end if;
    update public.call_outcomes set
      label = coalesce(p_label, label), matches_statuses = coalesce(public.text_array(p_matches_statuses), matches_statuses),
      position = coalesce(p_position, position), archived = coalesce(p_archived, archived)
    where id = p_outcome_id and organization_id = p_organization_id
    returning * into v_outcome;
    return jsonb_build_object('outcome', to_jsonb(v_outcome));
  exception when unique_violation then
    return jsonb_build_object('error', 'duplicate-label');
  end
  $$;

revoke execute on function public.outcome_status_taken(uuid, uuid, text[]) from public, anon, authenticated;
grant execute on function public.outcome_status_taken(uuid, uuid, text[]) to service_role;
