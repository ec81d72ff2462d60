-- A small stand-in for Supabase's auth schema and roles, applied only where they do not exist
-- (the embedded database and a plain PostgreSQL server). On Supabase the real ones are used.
do $shim$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;

  if not exists (select 1 from pg_namespace where nspname = 'auth') then
    create schema auth;
    grant usage on schema auth to anon, authenticated, service_role;

    create table auth.users (
      id uuid primary key default gen_random_uuid(),
      email text unique,
      -- As on Supabase: a password hash (here scrypt, written by the embedded auth adapter).
      encrypted_password text,
      raw_user_meta_data jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now()
    );

    -- Rotating refresh tokens of the embedded auth adapter; only their hashes are stored.
    create table auth.refresh_tokens (
      id bigint generated always as identity primary key,
      token_hash text not null unique,
      user_id uuid not null references auth.users (id) on delete cascade,
      family_id uuid not null,
      revoked boolean not null default false,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index refresh_tokens_family_idx on auth.refresh_tokens (family_id);

    -- As Supabase defines them: the claims of the request's JWT, set per transaction by the API layer.
    create function auth.jwt() returns jsonb
      language sql stable
      as $$ select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$;
    create function auth.uid() returns uuid
      language sql stable
      as $$ select nullif(auth.jwt() ->> 'sub', '')::uuid $$;
    create function auth.role() returns text
      language sql stable
      as $$ select nullif(auth.jwt() ->> 'role', '') $$;
    grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;
  end if;
end
$shim$;

-- Added after the first release, so also applied to databases an earlier shim made: when a rotated refresh token was
-- rotated (for the reuse window of concurrent refreshes), and the sessions that were signed out or revoked (so their
-- access tokens are refused, also after a restart). Only on this shim's own tables, never on Supabase's auth schema.
do $shim_sessions$
begin
  if exists (
    select 1 from information_schema.columns
    where table_schema = 'auth' and table_name = 'refresh_tokens' and column_name = 'family_id'
  ) then
    alter table auth.refresh_tokens add column if not exists rotated_at timestamptz;
    create table if not exists auth.ended_sessions (
      family_id uuid primary key,
      ended_at timestamptz not null default now()
    );
    create index if not exists ended_sessions_ended_at_idx on auth.ended_sessions (ended_at);
  end if;
end
$shim_sessions$;
