-- The two checks that still wrote statuses by hand now say the rules (20261204000100): a call's status is a word
-- call_status_rank ranks (the only list of every status), and an outcome pre-selects final results only (call_is_final).

-- Whether every status of a list is final (an empty list is): the outcome check's rule.
create function public.call_statuses_are_final(p_statuses text[]) returns boolean
  language sql immutable parallel safe
  set search_path = ''
  as $$
    select coalesce(bool_and(public.call_is_final(s)), true) from unnest(p_statuses) as s
  $$;

-- Only the backend writes outcomes (agents may only read them), and checks run as whoever writes the row: the backend's,
-- like call_is_final. The calls check uses call_status_rank, which everyone may run.
revoke execute on function public.call_statuses_are_final(text[]) from public, anon, authenticated;
grant execute on function public.call_statuses_are_final(text[]) to service_role;

alter table public.calls drop constraint calls_status_check;
alter table public.calls add constraint calls_status_known check (public.call_status_rank(status) is not null);

alter table public.call_outcomes drop constraint call_outcomes_matches_final_results;
alter table public.call_outcomes add constraint call_outcomes_matches_final_results
  check (public.call_statuses_are_final(matches_statuses));
