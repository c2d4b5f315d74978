/**
 * The shapes the page accepts from a server worker, checked on arrival. The worker runs a reader's
 * code; whatever it posts is untrusted input until it has passed these. A message that does not fit
 * is dropped (and reported), never half-used: the page builds Responses, timeline rows and the record
 * inspector only from values that have the types the protocol promises.
 *
 * Parsing makes a copy with only the known fields, so nothing extra a worker attaches travels on.
 */
import * as z from 'zod/mini';
import type { SessionEvent, SessionRecord } from '../session/index.ts';
import type { FromServer, WireResponse } from './server-messages.ts';

// The site's CSP has no 'unsafe-eval': zod must not try to compile its parsers with `new Function`.
z.config({ jitless: true });

/** Longest text a message field may carry: an error message with a stack's worth of detail. */
const MAX_TEXT = 20_000;
/** Longest id, key or name (a session id is 43 characters; a store label is short). */
const MAX_NAME = 1_000;
/** Most records the inspector is given, and most ids in one event. */
const MAX_ITEMS = 10_000;

const text = z.string().check(z.maxLength(MAX_TEXT));
const name = z.string().check(z.maxLength(MAX_NAME));
const time = z.number();
const count = z.int().check(z.gte(0));

const storeMethod = z.enum(['create', 'get', 'update', 'delete', 'clean', 'compareAndSet', 'listByUser']);
const storeOutcome = z.enum(['ok', 'failed', 'timeout', 'invalid-result', 'conflict']);
const session = { sessionId: name, userId: name };

const sessionEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('store-call'),
    at: time,
    method: storeMethod,
    key: z.nullable(name),
    durationMs: time,
    outcome: storeOutcome,
    result: z.exactOptional(z.union([z.literal('hit'), z.literal('miss'), count])),
    error: z.exactOptional(text),
  }),
  z.object({ type: z.literal('session-created'), at: time, ...session, expires: name }),
  z.object({ type: z.literal('session-loaded'), at: time, ...session, expires: name }),
  z.object({ type: z.literal('session-extended'), at: time, ...session, expires: name }),
  z.object({ type: z.literal('session-rotated'), at: time, from: name, to: name, userId: name }),
  z.object({ type: z.literal('session-expired'), at: time, ...session, reason: z.enum(['idle', 'absolute', 'unreadable']) }),
  z.object({ type: z.literal('session-destroyed'), at: time, ...session }),
  z.object({
    type: z.literal('record-incomplete'),
    at: time,
    ...session,
    missing: z.array(z.enum(['createdAt', 'data', 'version'])).check(z.maxLength(3)),
  }),
  z.object({ type: z.literal('session-merged'), at: time, ...session, attempt: count }),
  z.object({ type: z.literal('sessions-revoked'), at: time, userId: name, sessionIds: z.array(name).check(z.maxLength(MAX_ITEMS)) }),
  z.object({ type: z.literal('cookie-set'), at: time, name, reason: z.enum(['new', 'extended', 're-signed']) }),
  z.object({ type: z.literal('cookie-cleared'), at: time, name }),
  z.object({ type: z.literal('cookie-rejected'), at: time, name, reason: z.enum(['malformed', 'bad-signature', 'unknown-session', 'key-retired', 'key-not-yet-active']) }),
  z.object({ type: z.literal('clean'), at: time, removed: z.nullable(count), durationMs: time, outcome: storeOutcome }),
  z.object({ type: z.literal('background-error'), at: time, error: z.instanceof(Error) }),
]);

const reply = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('reply'), id: count, ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('reply'), id: count, ok: z.literal(false), error: text }),
]);

/**
 * Compiles only while the schema above and the library's `SessionEvent` describe the same events: a
 * new event type, store method or reason must be added here too, or the page would drop it.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const SESSION_EVENT_SCHEMA_MATCHES: Same<z.output<typeof sessionEvent>, SessionEvent> = true;

const fromServer = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), store: name }),
  z.object({ type: z.literal('failed'), detail: text }),
  reply,
  z.object({ type: z.literal('event'), event: sessionEvent, requestId: z.nullable(count), happenedAt: time }),
  z.object({ type: z.literal('fault'), detail: text }),
]);

/** A status a Response can be built with (Fetch: 200–599). */
const status = z.int().check(z.gte(200), z.lte(599));
/** HTTP's reason-phrase: what `new Response(…, { statusText })` accepts. */
const statusText = z.string().check(z.maxLength(MAX_NAME), z.regex(/^[\t\x20-\x7e\x80-\xff]*$/));

const wireResponse = z.object({
  status,
  statusText,
  headers: z.array(z.tuple([name, text])).check(z.maxLength(100)),
  body: z.nullable(z.instanceof(ArrayBuffer)),
  setCookie: z.nullable(text),
});

export const WIRE_RESPONSE_SCHEMA_MATCHES: Same<z.output<typeof wireResponse>, WireResponse> = true;

/** A record as the inspector shows it: FluidAuth's three fields, anything else JSON. */
const sessionRecord = z.catchall(z.object({ sessionId: name, userId: name, expires: name }), z.json());
const records = z.array(sessionRecord).check(z.maxLength(MAX_ITEMS));

/** A message from the server worker, as the protocol has it, or null when it does not fit. */
export function parseFromServer(message: unknown): FromServer | null {
  return safely(fromServer, message) as FromServer | null;
}

/** Whether `message` is the worker's first word, `{ type: 'booted' }`. */
export function isBooted(message: unknown): boolean {
  return safely(z.strictObject({ type: z.literal('booted') }), message) !== null;
}

/** The value of a reply, by what was asked: a response, the records, or nothing (null). Undefined when it does not fit. */
export const replyValue = {
  response: (value: unknown): WireResponse | undefined => safely(wireResponse, value) ?? undefined,
  // null: the store does not list its records (it offers no all()).
  records: (value: unknown): SessionRecord[] | null | undefined => (value === null ? null : ((safely(records, value) as SessionRecord[] | null) ?? undefined)),
  none: (value: unknown): null | undefined => (value === null ? null : undefined),
  count: (value: unknown): number | undefined => safely(count, value) ?? undefined,
};

/** Parses `value`, or null: also when it is too deep or cyclic to check. */
function safely<T>(schema: z.ZodMiniType<T>, value: unknown): T | null {
  try {
    const result = schema.safeParse(value);
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
