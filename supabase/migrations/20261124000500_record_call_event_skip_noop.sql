-- record_call_event without a write to the call when the event changes nothing on it (a late or repeated-in-effect
-- event, frequent when Twilio's callbacks arrive out of order). Same signature, same result; the event is still
-- appended to the ledger. Saves a non-HOT update of the call row and its six indexes.
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

revoke execute on function public.record_call_event(uuid, text, text, integer, text, text, timestamptz, integer, text, text, jsonb, text) from public, anon, authenticated;
grant execute on function public.record_call_event(uuid, text, text, integer, text, text, timestamptz, integer, text, text, jsonb, text) to service_role;
