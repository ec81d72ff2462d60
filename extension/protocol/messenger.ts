// A typed messenger over chrome.runtime messages: one protocol map per receiving context pairs each request's schema
// with its answer's schema. The receiver validates every request against the map (and checks its sender itself, before
// that); the caller gets one typed function per map, and the answer is validated against the same map.
//
// Hand-written rather than @webext-core/messaging or webext-messenger: both type messages at compile time only, and
// every context here must validate at run time what it receives (content scripts share the extension's id, so a
// compromised page can send anything a content script can). Forty lines of our own keep zod on both ends.
import { z } from 'zod';

/** One receiving context's messages: the key is the message's `type`, and its request schema has that literal type. */
export type Protocol = Record<string, { request: z.ZodType<{ type: string }>; response: z.ZodType }>;

/** A map whose request schemas really carry their own key as `type` (checked when the map is written). */
export type CheckedProtocol<P extends Protocol> = { [K in keyof P]: { request: z.ZodType<{ type: K }>; response: z.ZodType } };

/** The map as written, refused at compile time if an entry's request `type` is not its key. */
export function defineProtocol<P extends Protocol>(protocol: P & CheckedProtocol<P>): P {
  return protocol;
}

export type RequestOf<P extends Protocol, K extends keyof P> = z.output<P[K]['request']>;
/** What a caller writes: the request without its `type`. */
export type PayloadOf<P extends Protocol, K extends keyof P> = Omit<z.input<P[K]['request']>, 'type'>;
export type AnswerOf<P extends Protocol, K extends keyof P> = z.output<P[K]['response']>;
export type AnyRequest<P extends Protocol> = { [K in keyof P]: RequestOf<P, K> }[keyof P];

/** One handler per entry: adding a message to the map without its handler does not compile. */
export type Handlers<P extends Protocol> = { [K in keyof P]: (message: RequestOf<P, K>) => Promise<AnswerOf<P, K>> };

/** The extension did not answer, or answered something the protocol does not allow. */
export class NoAnswerError extends Error {}
/** The one sentence a caller shows when the receiving context did not answer. */
export const NO_ANSWER_MESSAGE = 'The extension did not answer; reload it and try again.';

/** Whether the map names this message's type (own keys only: `toString` is not a message). */
export function knows<P extends Protocol>(protocol: P, type: unknown): type is keyof P & string {
  return typeof type === 'string' && Object.hasOwn(protocol, type);
}

/** The message validated against its entry's request schema, or null when it does not fit it (or the map). */
export function parseRequest<P extends Protocol>(protocol: P, message: unknown): AnyRequest<P> | null {
  const type = typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
  if (!knows(protocol, type)) return null;
  const parsed = protocol[type]!.request.safeParse(message);
  return parsed.success ? (parsed.data as AnyRequest<P>) : null;
}

/** Runs the handler of a validated request. */
export function dispatch<P extends Protocol>(handlers: Handlers<P>, message: AnyRequest<P>): Promise<AnswerOf<P, keyof P>> {
  const handler = handlers[message.type as keyof P] as (m: AnyRequest<P>) => Promise<AnswerOf<P, keyof P>>;
  return handler(message);
}

/** A typed caller of one context: `call(type, payload)` sends, then validates the answer (NoAnswerError if it does not fit). */
export function createCaller<P extends Protocol>(protocol: P, transport: (message: AnyRequest<P>) => Promise<unknown>) {
  return async function call<K extends keyof P & string>(type: K, ...payload: object extends PayloadOf<P, K> ? [PayloadOf<P, K>?] : [PayloadOf<P, K>]): Promise<AnswerOf<P, K>> {
    let answer: unknown;
    try {
      answer = await transport({ ...payload[0], type } as AnyRequest<P>);
    } catch (error) {
      throw new NoAnswerError(NO_ANSWER_MESSAGE, { cause: error });
    }
    const parsed = protocol[type]!.response.safeParse(answer);
    if (!parsed.success) throw new NoAnswerError(NO_ANSWER_MESSAGE, { cause: parsed.error });
    return parsed.data as AnswerOf<P, K>;
  };
}
