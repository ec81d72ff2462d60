-- create_outbound_call goes: nothing but tests called it (the Voice URL uses place_outbound_calls, and the tests now
-- place their calls through it too).

drop function public.create_outbound_call(uuid, uuid, text, text, text, text, text, text, text, text, text, timestamptz);
