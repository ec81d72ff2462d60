// Messages between the extension's contexts that involve the content script, defined once and validated on receipt.
import { z } from 'zod';
import { countryCodeSchema } from '../../shared/api.js';
import { blockedRangesWireSchema, rangesFromWire, type DestinationPolicy } from '../../shared/phone/destination-policy.js';

const e164Schema = z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as +14155550100');

export { extensionDigitsSchema } from '../../shared/api.js';

/** A dial's page context, its limits written once (the backend's DialParams has the same ones and checks them again). */
export const DIAL_LIMITS = { contactName: 200, pageUrl: 2048, pageTitle: 500, text: 200 } as const;
export const dialContextShape = {
  contactName: z.string().max(DIAL_LIMITS.contactName).optional(),
  pageUrl: z.string().max(DIAL_LIMITS.pageUrl).optional(),
  pageTitle: z.string().max(DIAL_LIMITS.pageTitle).optional(),
};

/**
 * Content script → service worker: the agent asked to call a number found on the page. No page address or title: the
 * worker takes those from the sender (a page could write anything here).
 */
export const dialRequestSchema = z.object({
  type: z.literal('c2c:dial'),
  e164: e164Schema,
  text: z.string().max(DIAL_LIMITS.text),
  extension: z.string().regex(/^\d{1,8}$/).optional(),
  contactName: dialContextShape.contactName,
});
export type DialRequest = z.infer<typeof dialRequestSchema>;

/** Content script → service worker: a click on the chip was refused (covered, too soon...); the worker tells the agent. */
export const clickRefusedSchema = z.object({ type: z.literal('c2c:click-refused'), reason: z.string().max(200) });
export type ClickRefused = z.infer<typeof clickRefusedSchema>;

/** Content script → service worker: which destinations may this organization call? Answered with a NumberPolicyWire or null. */
export const numberPolicyRequestSchema = z.object({ type: z.literal('c2c:number-policy') });
export type NumberPolicyRequest = z.infer<typeof numberPolicyRequestSchema>;

/** The organization's destination policy as the worker read it from the backend (allowed countries, refused ranges). */
export const numberPolicyWireSchema = z.object({
  allowedCountries: z.array(countryCodeSchema).max(300),
  blockedRanges: blockedRangesWireSchema,
});
export type NumberPolicyWire = z.infer<typeof numberPolicyWireSchema>;

/** The policy ready to check numbers with (patterns rebuilt here, from ids and prefixes only). */
export function policyFromWire(wire: NumberPolicyWire): DestinationPolicy {
  return { allowedCountries: wire.allowedCountries, blockedRanges: rangesFromWire(wire.blockedRanges) };
}

/** Popup → content script (through tabs.sendMessage): which numbers does this frame offer? */
export const listNumbersRequestSchema = z.object({ type: z.literal('c2c:list-numbers') });
export const listedNumberSchema = z.object({
  e164: e164Schema,
  text: z.string().max(DIAL_LIMITS.text),
  extension: z.string().regex(/^\d{1,8}$/).optional(),
  /** The name the chip would send with a call from this number (the row's or card's contact). */
  contactName: dialContextShape.contactName,
});
/** At most this many numbers per frame go to the popup (a 5,000-row table still answers quickly). */
export const MAX_LISTED_NUMBERS = 500;
export const listNumbersResponseSchema = z.array(listedNumberSchema).max(MAX_LISTED_NUMBERS);
export type ListedNumber = z.infer<typeof listedNumberSchema>;

// The messages a content script may send to the service worker, and their answers: extension/protocol/worker-from-content.ts.

/** The wrap-up offered for the call that just ended (the bar and the popup show the same one). */
export const wrapUpViewSchema = z.object({
  outcomes: z.array(z.object({ id: z.string().uuid(), label: z.string().max(60) })).max(100),
  /** Pre-selected from the call's result (busy → Busy), or the agent's last choice. */
  selected: z.string().uuid().nullable(),
  state: z.enum(['open', 'saving', 'saved', 'failed']),
  /** Why the last save failed, as a sentence. */
  error: z.string().max(300).nullable(),
  /** The organization requires it before the agent's next call (and before Call next). */
  required: z.boolean(),
});
export type WrapUpView = z.infer<typeof wrapUpViewSchema>;

/** The wrap-up the agent wrote for their just-ended call: the worker adds which call, the backend checks it all again. */
export const wrapUpFieldsSchema = z.object({
  outcomeId: z.string().uuid(),
  notes: z.string().max(2000),
  followUpOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
});
export type WrapUpFields = z.infer<typeof wrapUpFieldsSchema>;

/** What the in-page call bar shows of the live call: built by the service worker, drawn by the content script. */
export const callBarViewSchema = z.object({
  phase: z.enum(['connecting', 'ringing', 'open', 'ended']),
  /** The number being dialled, formatted for people (with its extension). */
  number: z.string().max(100),
  contactName: z.string().max(200).nullable(),
  /** "Calling…", "Ringing…", "In call", or the result ("Busy", "No answer", "Failed", "Completed"). */
  statusText: z.string().max(100),
  /** Why the call failed, as a sentence. */
  reason: z.string().max(500).nullable(),
  muted: z.boolean(),
  answeredAt: z.number().nullable(),
  endedAt: z.number().nullable(),
  /** An incoming call ringing for this agent: Answer and Decline name its CallSid; a known caller's page is linked. */
  incoming: z
    .object({
      callSid: z.string().max(64),
      country: z.string().max(100).nullable(),
      pageUrl: z.string().max(2048).nullable(),
      pageTitle: z.string().max(500).nullable(),
    })
    .nullable()
    .optional(),
  /** The wrap-up offered once the call has ended; absent or null for none. */
  wrapUp: wrapUpViewSchema.nullable().optional(),
});
export type CallBarView = z.infer<typeof callBarViewSchema>;

/** Service worker → content script (tabs.sendMessage): the call bar's new view, or a sentence to show in it. */
export const callBarUpdateSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('c2c:call-bar'), view: callBarViewSchema.nullable() }),
  z.object({ type: z.literal('c2c:call-bar-notice'), text: z.string().max(300) }),
]);
export type CallBarUpdate = z.infer<typeof callBarUpdateSchema>;
