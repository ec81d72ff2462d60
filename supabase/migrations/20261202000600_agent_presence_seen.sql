-- Presence an agent's teammates can rely on: when the agent was last seen by the backend (an authenticated request or
-- an open live stream), and the presence each agent has as a view column set. Offline is derived from last_seen_at
-- (not seen for 150 seconds, or never: the extension reports every minute), On a call from an open call, otherwise the presence the agent chose. Inbound
-- routing rings only agents whose derived presence is 'available'.

alter table public.voip_users add column last_seen_at timestamptz;

-- The view keeps its columns and their order (the guide's troubleshooting queries use them) and adds the presence ones.
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
    select c.id, c.to_number
    from public.calls c
    where c.assigned_to = u.id and c.status in ('initiated', 'ringing', 'in-progress')
    order by c.created_at desc
    limit 1
  ) open_call on true;

-- Presence is timed by the database's clock (the view compares with its now()): the backend passes p_at null (now); tests
-- may pass another time.

-- The agent's own choice; returns the agent's derived presence row (none for no such agent).
create function public.set_agent_presence(p_agent_id uuid, p_presence text, p_at timestamptz) returns setof public.agent_presence
  language plpgsql
  set search_path = ''
  as $$
  declare
    v_at timestamptz := coalesce(p_at, now());
  begin
    if p_presence not in ('available', 'away', 'dnd') then
      raise exception 'presence must be available, away or dnd' using errcode = '22023';
    end if;
    update public.voip_users
      set presence = p_presence,
          presence_changed_at = case when presence is distinct from p_presence then v_at else presence_changed_at end,
          last_seen_at = greatest(coalesce(last_seen_at, v_at), v_at)
      where id = p_agent_id;
    return query select * from public.agent_presence where id = p_agent_id;
  end
  $$;

-- The backend saw the agent (a request, a stream still open). Returns whether the agent was offline until now, so the
-- backend tells teammates the agent is back.
create function public.note_agent_seen(p_agent_id uuid, p_at timestamptz) returns boolean
  language sql
  set search_path = ''
  as $$
    with at as (select coalesce(p_at, now()) as t), before as (
      select coalesce(last_seen_at > (select t from at) - interval '150 seconds', false) as was_online from public.voip_users where id = p_agent_id
    ), touched as (
      update public.voip_users set last_seen_at = greatest(coalesce(last_seen_at, (select t from at)), (select t from at)) where id = p_agent_id returning id
    )
    select coalesce((select not was_online from before), false) from touched
  $$;

-- Signed out: offline at once (another live session of the agent marks them seen again).
create function public.note_agent_gone(p_agent_id uuid) returns void
  language sql
  set search_path = ''
  as $$ update public.voip_users set last_seen_at = null where id = p_agent_id $$;

do $grants$
declare
  fn text;
begin
  foreach fn in array array[
    'public.set_agent_presence(uuid, text, timestamptz)',
    'public.note_agent_seen(uuid, timestamptz)',
    'public.note_agent_gone(uuid)'
  ] loop
    execute format('revoke execute on function %s from public, anon, authenticated', fn);
    execute format('grant execute on function %s to service_role', fn);
  end loop;
end
$grants$;
