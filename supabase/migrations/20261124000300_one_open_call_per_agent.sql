-- One open call per agent, race-free: the open-call check and the insert happen under a lock on the agent's row,
-- so two simultaneous Voice URL requests of one agent cannot both be dialled. Same signature as before,
-- so the embedded (select) and Supabase (rpc) adapters call it unchanged.
create or replace function public.create_outbound_call(
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

revoke execute on function public.create_outbound_call(uuid, uuid, text, text, text, text, text, text, text, text, text, timestamptz) from public, anon, authenticated;
grant execute on function public.create_outbound_call(uuid, uuid, text, text, text, text, text, text, text, text, text, timestamptz) to service_role;
