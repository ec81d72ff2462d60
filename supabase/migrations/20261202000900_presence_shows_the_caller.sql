-- Teammates see whom an agent on a call is talking to: for a call to the team's number that is the caller, not the
-- team's own line. The view keeps its columns, their names and their order.
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
    where c.assigned_to = u.id and c.status in ('initiated', 'ringing', 'in-progress')
    order by c.created_at desc
    limit 1
  ) open_call on true;
