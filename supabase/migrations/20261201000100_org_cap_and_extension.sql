-- The Voice URL's new checks in the database: the organization's daily call cap (counted under the organization's
-- row lock, like the agent's limits under theirs) and the extension digits Twilio sends after answer, stored with the call.

alter table public.calls add column extension text
  check (extension is null or extension ~ '^[0-9*#wW]{1,16}$');

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
    -- server never wait for each other in a cycle (create_outbound_call takes the same lock).
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

revoke execute on function public.place_outbound_calls(jsonb) from public, anon, authenticated;
grant execute on function public.place_outbound_calls(jsonb) to service_role;
