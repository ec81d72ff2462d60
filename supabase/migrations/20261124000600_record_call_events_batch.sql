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

revoke execute on function public.record_call_events(jsonb) from public, anon, authenticated;
grant execute on function public.record_call_events(jsonb) to service_role;
