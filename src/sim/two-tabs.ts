/**
 * The two-tabs demo: `POST {base}api/cart-two-tabs {"items": [a, b]}` stands for two tabs of one
 * browser, each sending `POST {base}api/cart {"item": …}` with the same cookie at the same instant.
 * The page gets one answer, `{tabs: [{status, …}, {status, …}]}`: each tab's own status and body.
 *
 * Who runs the two requests is the balancer's call, as for any request: when both land on one
 * server, that server runs them side by side (server-worker.ts); when they land on two, each server
 * runs one, on the store they share (server-pool.ts). This module is what both have in common: the
 * split into the tabs' requests, and the join of their answers.
 */
import type { WireRequest, WireResponse } from './server-messages.ts';

/** The demo's route under the base path. */
export const TWO_TABS_ROUTE = 'api/cart-two-tabs';

/** Whether `request` is the two-tabs demo's. */
export function isTwoTabs(request: Pick<WireRequest, 'method' | 'url'>, base: string): boolean {
  return request.method === 'POST' && new URL(request.url).pathname === `${base}${TWO_TABS_ROUTE}`;
}

/**
 * The two tabs' `POST api/cart` requests, with the pair's id, cookie and client; null when the body
 * is not `{"items": [<string>, <string>]}`.
 */
export function tabRequests(wire: WireRequest, base: string): [WireRequest, WireRequest] | null {
  const items = itemsOf(wire.body);
  if (!items) return null;
  const url = new URL(`${base}api/cart`, wire.url).href;
  const tab = (item: string): WireRequest => ({
    ...wire,
    url,
    headers: [...wire.headers.filter(([name]) => name.toLowerCase() !== 'content-type'), ['content-type', 'application/json']],
    body: new TextEncoder().encode(JSON.stringify({ item })).buffer,
  });
  return [tab(items[0]), tab(items[1])];
}

/** The answer to a two-tabs request whose body is not two items. */
export function badTabs(): WireResponse {
  return jsonAnswer(400, { error: 'Send {"items": ["<first tab>", "<second tab>"]}.' });
}

/**
 * The pair's one answer, from the tabs' answers in tab order. Its Set-Cookie is the last tab's that
 * sent one: of two cookies set at once, the browser keeps the later.
 */
export function joinTabs(answers: readonly WireResponse[]): WireResponse {
  const tabs = answers.map((answer) => ({ status: answer.status, ...bodyOf(answer) }));
  const setCookie = answers.map((answer) => answer.setCookie).findLast((value) => value !== null) ?? null;
  return { ...jsonAnswer(200, { tabs }), setCookie };
}

function itemsOf(body: ArrayBuffer | null): [string, string] | null {
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(new TextDecoder().decode(body)) : null;
  } catch {
    return null;
  }
  const items = (parsed as { items?: unknown } | null)?.items;
  if (!Array.isArray(items) || items.length !== 2) return null;
  const [first, second]: unknown[] = items;
  return typeof first === 'string' && typeof second === 'string' ? [first, second] : null;
}

/** A tab's answer body as an object; anything else (a gateway's text, nothing) is left out. */
function bodyOf(answer: WireResponse): object {
  try {
    const value: unknown = answer.body ? JSON.parse(new TextDecoder().decode(answer.body)) : null;
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** A JSON answer no cache keeps, as the demo app's own (demo-app.ts). */
function jsonAnswer(status: number, body: unknown): WireResponse {
  return {
    status,
    statusText: status === 200 ? 'OK' : 'Bad Request',
    headers: [
      ['content-type', 'application/json'],
      ['cache-control', 'no-store'],
    ],
    body: new TextEncoder().encode(JSON.stringify(body)).buffer,
    setCookie: null,
  };
}
