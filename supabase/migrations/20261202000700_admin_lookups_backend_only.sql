-- 20261202000250 revoked its functions from public only: under Supabase's default privileges, which grant every new
-- function to anon and authenticated, an agent could still call them through PostgREST (set_agent_role among them;
-- row level security happened to stop its update). They are the backend's alone, like every other function.
revoke execute on function public.get_agent_role(uuid), public.find_organization(text), public.set_agent_role(uuid, text, text)
  from anon, authenticated;
