-- What the backend needs to let admins (and the server's own command line) manage an organization: an agent's role,
-- an organization found by name, and changing an agent's role within one organization.

create function public.get_agent_role(p_agent_id uuid) returns text
  language sql stable
  set search_path = ''
  as $$ select role from public.voip_users where id = p_agent_id $$;

create function public.find_organization(p_name text) returns jsonb
  language sql stable
  set search_path = ''
  as $$ select jsonb_build_object('id', id, 'name', name) from public.organizations where name = p_name $$;

-- Null when the organization has no agent with that email.
create function public.set_agent_role(p_organization_id uuid, p_email text, p_role text) returns jsonb
  language sql
  set search_path = ''
  as $$
    update public.voip_users set role = p_role
    where organization_id = p_organization_id and email = lower(p_email)
    returning jsonb_build_object('id', id, 'email', email, 'display_name', display_name, 'role', role)
  $$;

revoke execute on function public.get_agent_role(uuid), public.find_organization(text), public.set_agent_role(uuid, text, text) from public;
grant execute on function public.get_agent_role(uuid), public.find_organization(text), public.set_agent_role(uuid, text, text) to service_role;
