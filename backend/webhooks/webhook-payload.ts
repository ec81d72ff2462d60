// The events sent to webhook endpoints and their payloads (Standard Webhooks' envelope: { type, timestamp, data }); the
// database builds the data (webhook_call_json), a test parses it with these, and docs/connect-your-crm.md shows their JSON Schema.
import { z } from 'zod';

export const CALL_WEBHOOK_EVENTS = ['call.started', 'call.answered', 'call.completed', 'call.wrapped_up'] as const;
export type CallWebhookEvent = (typeof CALL_WEBHOOK_EVENTS)[number];

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<CallWebhookEvent | 'ping', string> = {
  'call.started': 'A call was placed (or refused: then call.completed follows at once with status failed and the reason).',
  'call.answered': 'The far end answered. Sent only when the answer is known before the call ended; call.completed always carries answeredAt.',
  'call.completed': 'The call reached its final status: completed, busy, no-answer, failed or canceled. Sent once per call.',
  'call.wrapped_up': 'An agent saved the wrap-up (outcome, notes, follow-up date); sent again each time it is edited.',
  ping: 'A test event sent from the admin section or npm run webhooks:test; sent whatever the endpoint subscribes to.',
};

const timestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 date and time');
const person = z.object({ id: z.uuid(), name: z.string(), email: z.string() });

const webhookCallSchema = z
  .object({
    id: z.uuid().describe('The call\'s id in click-to-call'),
    direction: z.enum(['inbound', 'outbound']),
    status: z.enum(['initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled']),
    from: z.string().nullable().describe('The caller id, E.164'),
    to: z.string().nullable().describe('The number called, E.164'),
    contactName: z.string().nullable().describe('The name shown beside the number on the page, if any'),
    pageUrl: z.string().nullable().describe('The page the number was called from'),
    pageTitle: z.string().nullable(),
    agent: person.nullable().describe('The agent who placed or took the call'),
    startedAt: timestamp,
    answeredAt: timestamp.nullable(),
    endedAt: timestamp.nullable(),
    durationSeconds: z.number().int().min(0).nullable(),
    extension: z.string().nullable().describe('Digits sent after the answer, if any'),
    errorCode: z.string().nullable(),
    errorMessage: z.string().nullable(),
    twilioCallSid: z.string().nullable(),
  })
  .describe('The call as it was when the event happened');

const webhookWrapUpSchema = z
  .object({
    outcome: z.string().nullable().describe('The outcome (disposition) chosen, e.g. "Connected" or "Left voicemail"'),
    notes: z.string().describe('Plain text, at most 2,000 characters'),
    followUpOn: z.iso.date().nullable().describe('A follow-up date, YYYY-MM-DD'),
    writtenBy: person.nullable(),
    writtenAt: timestamp,
    updatedAt: timestamp,
  })
  .describe('The wrap-up the agent saved');

const webhookCallDataSchema = z.object({
  call: webhookCallSchema,
  wrapUp: webhookWrapUpSchema.nullable().describe('Null until the agent saves a wrap-up'),
});

const webhookPingDataSchema = z.object({ endpointId: z.uuid(), message: z.string() });

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), timestamp: timestamp.describe('When the event happened'), data }).describe(WEBHOOK_EVENT_DESCRIPTIONS[type as CallWebhookEvent]);

export const webhookPayloadSchema = z.discriminatedUnion('type', [
  ...CALL_WEBHOOK_EVENTS.map((t) => envelope(t, webhookCallDataSchema)),
  envelope('ping', webhookPingDataSchema),
] as unknown as [ReturnType<typeof envelope<CallWebhookEvent, typeof webhookCallDataSchema>>, ReturnType<typeof envelope<'ping', typeof webhookPingDataSchema>>]);
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

/** The JSON Schema of every payload, as docs/connect-your-crm.md shows it (a test keeps the doc in sync). */
export function webhookPayloadJsonSchema(): unknown {
  return z.toJSONSchema(webhookPayloadSchema, { target: 'draft-2020-12', io: 'output', reused: 'ref' });
}

/** The body sent: the envelope with the keys in the spec's order. */
export function webhookBody(type: string, createdAt: string | Date, data: unknown): string {
  return JSON.stringify({ type, timestamp: new Date(createdAt).toISOString(), data });
}
