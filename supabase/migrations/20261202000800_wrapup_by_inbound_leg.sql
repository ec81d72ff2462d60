-- A wrap-up after a call to the team's number: the extension knows the SID of the agent's own <Client> leg, not the
-- caller's call, so save_call_wrapup also finds an inbound call by the SID of a leg in its ledger (who may write it is
-- unchanged: the agent who answered). The ledger gets an index on call_sid for that lookup.
create index call_events_call_sid_idx on public.call_events (call_sid);

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
