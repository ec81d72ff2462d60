// The backend's HTTP contract: request and response shapes shared by the backend, the extension and the tests.
import { z } from 'zod';
import { callStatusSchema } from './call-status.js';
import { blockedRangesWireSchema } from './phone/destination-policy.js';

/**
 * Every `error.code` the backend answers with: the backend's ApiError takes only these, and the extension compares
 * against them. The schema below still accepts any string, so an older extension reads a newer backend's new codes.
 */
export const API_ERROR_CODES = [
  'bad-request',
  'unauthorized',
  'forbidden',
  'not-found',
  'payload-too-large',
  'unsupported-media-type',
  'invalid-json',
  'invalid-request',
  'internal',
  'error',
  'invalid-credentials',
  'invalid-token',
  'session-ended',
  'invalid-refresh-token',
  'not-an-agent',
  'not-an-admin',
  'invalid-admin-token',
  'auth-unavailable',
  'sign-in-busy',
  'too-many-attempts',
  'organization-required',
  'no-such-organization',
  'no-demo-organization',
  'no-such-agent',
  'no-such-call',
  'no-such-number',
  'no-such-endpoint',
  'no-such-recording',
  'no-such-outcome',
  'invalid-number',
  'country-not-allowed',
  'premium-number',
  'shared-cost-number',
  'rate-limited',
  'agent-busy',
  'organization-limit',
  'invalid-status',
  'invalid-call-sid',
  'invalid-call-id',
  'invalid-cursor',
  'invalid-presence',
  'invalid-recording-sid',
  'invalid-sequence-number',
  'invalid-signature',
  'wrong-account',
  'unknown-call',
  'number-taken',
  'status-taken',
  'duplicate-label',
  'call-not-ended',
  'not-your-call',
  'not-the-author',
  'unknown-outcome',
  'no-recording',
  'recording-unavailable',
  'telephony-unavailable',
  'not-twilio-mode',
  'server-busy',
  'too-many-streams',
  'too-many-fields',
  'repeated-field',
  'too-many-endpoints',
  'webhook-url-refused',
  'webhooks-unavailable',
  'sim-busy',
  'sim-not-yours',
  'sim-not-found',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const apiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'a two-letter ISO country code such as US');

/** Twilio's edge locations, as the Voice SDK names them (its Edge enum); roaming picks the nearest. */
export const TWILIO_EDGES = [
  'roaming', 'ashburn', 'dublin', 'frankfurt', 'sao-paulo', 'singapore', 'sydney', 'tokyo', 'umatilla',
  'ashburn-ix', 'san-jose-ix', 'london-ix', 'frankfurt-ix', 'singapore-ix', 'sydney-ix', 'tokyo-ix',
] as const;
const twilioEdgeSchema = z.enum(TWILIO_EDGES);

export const configResponseSchema = z.object({
  telephony: z.enum(['twilio', 'simulated']),
  database: z.enum(['embedded', 'supabase']),
  defaultCountry: countryCodeSchema,
  allowedCountries: z.array(countryCodeSchema),
  /** Number ranges refused on top of premium-rate and shared-cost types (absent from older backends: the defaults). */
  blockedRanges: blockedRangesWireSchema.optional(),
  /** The Twilio edge the Voice SDK connects to (TWILIO_EDGE); absent means roaming. */
  twilioEdge: twilioEdgeSchema.optional(),
});
export type ConfigResponse = z.infer<typeof configResponseSchema>;

export const healthResponseSchema = z.object({
  ok: z.boolean(),
  mode: z.object({ telephony: z.enum(['twilio', 'simulated']), database: z.enum(['embedded', 'supabase']) }),
});

export const loginRequestSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ message: 'Enter a valid email address.' })),
  password: z.string().min(1, 'Enter your password.').max(1024),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const refreshRequestSchema = z.object({ refreshToken: z.string().min(10).max(512) });
export const logoutRequestSchema = refreshRequestSchema;

const agentSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  organizationId: z.uuid(),
  organizationName: z.string(),
});
export type Agent = z.infer<typeof agentSchema>;

export const sessionSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** ISO 8601 instant at which the access token expires. */
  expiresAt: z.string(),
  agent: agentSchema,
});
export type Session = z.infer<typeof sessionSchema>;

export const voiceTokenResponseSchema = z.object({
  token: z.string(),
  identity: z.string(),
  expiresAt: z.string(),
});
export type VoiceTokenResponse = z.infer<typeof voiceTokenResponseSchema>;

/** A call's wrap-up: the outcome chosen (its label kept as it was), notes, an optional follow-up day, who wrote it and when. */
export const callWrapUpSchema = z.object({
  callId: z.uuid(),
  outcomeId: z.uuid().nullable(),
  outcomeLabel: z.string().nullable(),
  notes: z.string(),
  /** YYYY-MM-DD */
  followUpOn: z.string().nullable(),
  writtenBy: z.uuid().nullable(),
  writtenByName: z.string().nullable(),
  writtenAt: z.string(),
  updatedAt: z.string(),
});
export type CallWrapUp = z.infer<typeof callWrapUpSchema>;

export const callSchema = z.object({
  id: z.uuid(),
  direction: z.enum(['inbound', 'outbound']),
  status: callStatusSchema,
  fromNumber: z.string().nullable(),
  toNumber: z.string().nullable(),
  contactName: z.string().nullable(),
  assignedTo: z.uuid().nullable(),
  agentName: z.string().nullable(),
  twilioCallSid: z.string().nullable(),
  dialCallSid: z.string().nullable(),
  pageUrl: z.string().nullable(),
  pageTitle: z.string().nullable(),
  createdAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  duration: z.number().int().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  /** Digits sent after the far end answered (older servers do not send it). */
  extension: z.string().nullable().optional(),
  /** Inbound calls: the agent who answered (null while unanswered or missed). */
  answeredBy: z.uuid().nullable().optional(),
  /** Inbound calls: the voicemail's length in seconds when the caller left one (GET /api/calls/:id/recording plays it). */
  voicemail: z.object({ seconds: z.number().int().nullable() }).nullable().optional(),
  /** The call's wrap-up; null for none (older servers do not send it). */
  wrapUp: callWrapUpSchema.nullable().optional(),
});
export type Call = z.infer<typeof callSchema>;

// ---- Wrap-up (issue 19) ----

export const MAX_WRAP_UP_NOTES = 2000;
const MAX_OUTCOME_LABEL = 60;

export const callOutcomeSchema = z.object({
  id: z.uuid(),
  label: z.string(),
  /** Call results that pre-select this outcome (busy → Busy). */
  matchesStatuses: z.array(z.string()),
  position: z.number().int(),
  archived: z.boolean(),
});
export type CallOutcome = z.infer<typeof callOutcomeSchema>;
export const callOutcomesResponseSchema = z.object({ wrapUpRequired: z.boolean(), outcomes: z.array(callOutcomeSchema) });
export type CallOutcomesResponse = z.infer<typeof callOutcomesResponseSchema>;

/** A calendar day, YYYY-MM-DD, that exists. */
const isoDay = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what} must be a day such as 2026-12-24.`)
    .refine((d) => {
      const t = new Date(`${d}T00:00:00Z`);
      return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
    }, `${what} must be a day that exists, such as 2026-12-24.`);

/** POST /api/wrapups: the call by id (history) or by its Twilio CallSid (the call just ended). */
export const wrapUpRequestSchema = z
  .object({
    callId: z.uuid({ message: 'callId must be the id of a call.' }).optional(),
    callSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'callSid must be a Twilio call SID.').optional(),
    outcomeId: z.uuid({ message: 'Choose an outcome for the call.' }),
    notes: z.string().max(MAX_WRAP_UP_NOTES, `Notes can be at most ${MAX_WRAP_UP_NOTES} characters long.`).default(''),
    followUpOn: isoDay('The follow-up date').nullable().default(null),
  })
  .refine((r) => (r.callId === undefined) !== (r.callSid === undefined), 'Say which call: give its callId or its callSid, not both.');
export type WrapUpRequest = z.input<typeof wrapUpRequestSchema>;
export const wrapUpResponseSchema = z.object({ call: callSchema });
export const pendingWrapUpResponseSchema = z.object({ required: z.boolean(), call: callSchema.nullable() });

/** Sentence the Voice URL and the extension give when a required wrap-up is missing. */
export const WRAP_UP_REQUIRED_MESSAGE = 'Wrap up your last call before the next one: choose its outcome in the call bar or in the popup\'s history.';

/** The call results an outcome can be pre-selected by: how a call ended. */
export const OUTCOME_RESULTS = ['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;
const statusList = z
  .array(z.enum(OUTCOME_RESULTS, { message: `A call result that pre-selects an outcome is one of ${OUTCOME_RESULTS.join(', ')}.` }))
  .max(OUTCOME_RESULTS.length)
  .refine((list) => new Set(list).size === list.length, 'Give each call result once.');
export const newOutcomeSchema = z.object({
  label: z.string().trim().min(1, 'Give the outcome a name.').max(MAX_OUTCOME_LABEL, `An outcome's name can be at most ${MAX_OUTCOME_LABEL} characters long.`),
  matchesStatuses: statusList.optional(),
  position: z.number().int().min(0).max(100_000).optional(),
});
export const outcomeChangeSchema = newOutcomeSchema.partial().extend({ archived: z.boolean().optional() });
export const outcomeResponseSchema = z.object({ outcome: callOutcomeSchema });
export const wrapUpSettingSchema = z.object({ wrapUpRequired: z.boolean({ message: 'wrapUpRequired must be true or false.' }) });

/** GET /api/calls/export's filters: days (UTC, inclusive), an agent, an outcome. */
export const callExportQuerySchema = z.object({
  from: isoDay('from').optional(),
  to: isoDay('to').optional(),
  agent: z.uuid({ message: 'agent must be the id of an agent.' }).optional(),
  outcome: z.uuid({ message: 'outcome must be the id of an outcome.' }).optional(),
});

export const callsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});
export const callsPageSchema = z.object({ calls: z.array(callSchema), nextCursor: z.string().nullable() });
export type CallsPage = z.infer<typeof callsPageSchema>;

/** What an agent chooses: Available, Away or Do not disturb. */
export const chosenPresenceSchema = z.enum(['available', 'away', 'dnd']);
export type ChosenPresence = z.infer<typeof chosenPresenceSchema>;
/** The presence teammates see: on a call (an open call), offline (not seen for a while, or never), else the choice. */
export const agentStatusSchema = z.enum(['available', 'away', 'dnd', 'on-call', 'offline']);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

/** PUT /api/agents/me/presence */
export const presenceRequestSchema = z.object({ presence: chosenPresenceSchema });

export const agentPresenceSchema = z.object({
  id: z.uuid(),
  displayName: z.string(),
  email: z.string(),
  status: agentStatusSchema,
  /** What the agent chose (older servers do not send it). */
  chosenPresence: chosenPresenceSchema.optional(),
  /** Whether the backend saw the agent in the last 150 seconds (a request, an open live stream, or the extension's report each minute). */
  online: z.boolean().optional(),
  currentCallId: z.uuid().nullable(),
  currentCallPhoneNumber: z.string().nullable(),
});
export type AgentPresence = z.infer<typeof agentPresenceSchema>;
export const agentsResponseSchema = z.object({ agents: z.array(agentPresenceSchema) });

/** One Server-Sent Event on GET /api/events (event name = `type`, data = the JSON). */
export const liveEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), call: callSchema }),
  z.object({ type: z.literal('presence'), agent: agentPresenceSchema }),
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;

// ---- Simulated device (/api/sim) ----

const optionalText = (max: number) => z.string().max(max).optional();

/** The most digits an extension may have: the Voice URL refuses a longer one (it becomes <Number sendDigits>). */
export const MAX_EXTENSION_LENGTH = 16;

/** An extension sent after the far end answers: digits, * and #, and w/W for a half-second/one-second pause. */
export const extensionDigitsSchema = z
  .string()
  .regex(new RegExp(`^[0-9*#wW]{1,${MAX_EXTENSION_LENGTH}}$`), `an extension is at most ${MAX_EXTENSION_LENGTH} of 0-9, *, # and w/W pauses`);

/** The custom params the softphone sends with a call: the same for the Voice SDK and the simulator. */
export const dialParamsSchema = z.object({
  To: z.string().min(1).max(64),
  /** Digits Twilio sends once the far end answers (the Voice URL checks them again and puts them in <Number sendDigits>). */
  extension: extensionDigitsSchema.optional(),
  contactName: optionalText(200),
  pageUrl: optionalText(2048),
  pageTitle: optionalText(500),
  /** The organization's number the agent chose to call from ("Call from"); the Voice URL checks it is theirs. */
  callFrom: z.string().regex(/^\+[1-9]\d{6,14}$/).optional(),
});
export type DialParams = z.infer<typeof dialParamsSchema>;

/** GET /api/phone-numbers: the organization's numbers, for the "Call from" picker. */
export const phoneNumbersResponseSchema = z.object({
  numbers: z.array(z.object({ e164: z.string(), label: z.string(), isDefault: z.boolean() })).max(500),
});

/** POST /api/admin/phone-numbers/import (admins, Twilio mode): the account's numbers that joined, and the ones left out. */
export const phoneNumbersImportResponseSchema = z.object({
  imported: phoneNumbersResponseSchema.shape.numbers,
  skipped: z.array(z.object({ e164: z.string(), reason: z.string() })).max(1000),
});

/** POST /api/sim/incoming (admins, the command line): a simulated call from `from` to one of the organization's numbers. */
export const simIncomingRequestSchema = z.object({
  from: z.string().regex(/^\+[1-9]\d{6,14}$/, 'The caller\'s number must be in E.164, such as +14155550123.'),
  to: z.string().regex(/^\+[1-9]\d{6,14}$/, 'The number called must be in E.164, such as +14155550100.').optional(),
});

export const simCallResponseSchema = z.object({ callSid: z.string() });
export const simDigitsRequestSchema = z.object({ digits: z.string().regex(/^[0-9*#wW]{1,32}$/, 'digits, * and # only') });
export const simMuteRequestSchema = z.object({ muted: z.boolean() });

/** Events the simulated device receives over GET /api/sim/events, mirroring the Voice SDK Call's events. */
export const simDeviceEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ringing'), callSid: z.string() }),
  z.object({ type: z.literal('accept'), callSid: z.string() }),
  z.object({ type: z.literal('disconnect'), callSid: z.string(), status: callStatusSchema }),
  z.object({ type: z.literal('error'), callSid: z.string(), code: z.number().int(), message: z.string() }),
  /** A call to one of the organization's numbers rings this device: the inbound <Client>'s <Parameter>s, From and To. */
  z.object({ type: z.literal('incoming'), callSid: z.string(), params: z.record(z.string(), z.string().max(2048)) }),
  /** It stopped ringing here: a teammate answered, the caller hung up, or it went to voicemail. */
  z.object({ type: z.literal('cancel'), callSid: z.string() }),
]);
export type SimDeviceEvent = z.infer<typeof simDeviceEventSchema>;
