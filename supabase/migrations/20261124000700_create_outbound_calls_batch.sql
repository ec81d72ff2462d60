-- Several Voice URL requests in one database call: the SQL store coalesces the calls being created together
-- (micro-batching) and creates them here, each exactly as create_outbound_call creates it (same retry rule, same
-- per-agent lock and one-open-call check), in the order given, all committed together before any is answered.
--
-- p_calls is a JSON array of objects with the keys organization_id, agent_id, twilio_call_sid, from_number, to_number,
-- contact_name, page_url, page_title, status, error_code, error_message and created_at. The result is a JSON array
-- with one element per input, in order: what create_outbound_call returns for it, or {"error": message,
-- "sqlstate": code} when that one item failed (in its own subtransaction, so it changes nothing and fails nothing else).
create function public.create_outbound_calls(p_calls jsonb) returns jsonb
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_call jsonb;
    v_results jsonb := '[]'::jsonb;
    v_result jsonb;
  begin
    if jsonb_typeof(p_calls) is distinct from 'array' then
      raise exception 'create_outbound_calls expects a JSON array of calls';
    end if;

    -- Lock the agents of the batch's new calls up front, in id order, so that two batches on a PostgreSQL server never
    -- wait for each other in a cycle; create_outbound_call locks each again (a no-op, already ours).
    perform 1 from public.voip_users u
      where u.id in (
        select (c ->> 'agent_id')::uuid from jsonb_array_elements(p_calls) c
        where c ->> 'status' = 'initiated'
          and (c ->> 'agent_id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      )
      order by u.id
      for update;

    for v_call in select value from jsonb_array_elements(p_calls) loop
      begin
        v_result := public.create_outbound_call(
          (v_call ->> 'organization_id')::uuid,
          (v_call ->> 'agent_id')::uuid,
          v_call ->> 'twilio_call_sid',
          v_call ->> 'from_number',
          v_call ->> 'to_number',
          v_call ->> 'contact_name',
          v_call ->> 'page_url',
          v_call ->> 'page_title',
          v_call ->> 'status',
          v_call ->> 'error_code',
          v_call ->> 'error_message',
          (v_call ->> 'created_at')::timestamptz
        );
      exception when others then
        v_result := jsonb_build_object('error', sqlerrm, 'sqlstate', sqlstate);
      end;
      v_results := v_results || jsonb_build_array(v_result);
    end loop;
    return v_results;
  end
  $$;

revoke execute on function public.create_outbound_calls(jsonb) from public, anon, authenticated;
grant execute on function public.create_outbound_calls(jsonb) to service_role;
