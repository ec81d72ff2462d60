-- One agent's presence, for the live presence event after a call changes: an index lookup instead of
-- listing the whole organization (which grew with the number of agents on every call transition).
create function public.get_agent_presence(p_agent_id uuid) returns setof public.agent_presence
  language sql stable
  set search_path = ''
  as $$ select * from public.agent_presence where id = p_agent_id $$;

revoke execute on function public.get_agent_presence(uuid) from public, anon, authenticated;
grant execute on function public.get_agent_presence(uuid) to service_role;
