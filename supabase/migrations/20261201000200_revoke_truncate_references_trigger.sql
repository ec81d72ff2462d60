-- Supabase's default privileges grant anon and authenticated every privilege on each new table in public. Row level
-- security does not apply to TRUNCATE (nor to REFERENCES or TRIGGER): as anon, `truncate public.calls cascade` would
-- empty every organization. Agents read through RLS and write only through the backend's functions, so neither role
-- needs any of the three, on the tables that exist now or on those later migrations create.
revoke truncate, references, trigger on all tables in schema public from anon, authenticated;
alter default privileges in schema public revoke truncate, references, trigger on tables from anon, authenticated;
