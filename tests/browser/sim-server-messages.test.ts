/**
 * What the page accepts from a server worker. The worker runs a reader's code, so its messages are
 * untrusted input: each is checked against the protocol, and what does not fit is refused whole.
 */
import { describe, expect, it } from 'vitest';
import { isBooted, parseFromServer, replyValue } from '../../src/sim/server-message-schemas.ts';

const AT = 1_800_000_000_000;
const cleanEvent = { type: 'clean', at: AT, removed: 0, durationMs: 1, outcome: 'ok' };
const storeCall = { type: 'store-call', at: AT, method: 'get', key: 'abc', durationMs: 0.5, outcome: 'ok', result: 'hit' };
const response = { status: 200, statusText: 'OK', headers: [['content-type', 'application/json']], body: new ArrayBuffer(2), setCookie: null };
const record = { sessionId: 'abc', userId: 'ada', expires: '2027-01-01T00:00:00.000Z', createdAt: '2026-12-01T00:00:00.000Z', data: { cart: ['tea'] }, version: 2 };

describe('messages from the server worker', () => {
  it.each([
    ['ready', { type: 'ready', store: 'MemoryStore' }],
    ['failed', { type: 'failed', detail: 'new BrokenStore() threw' }],
    ['a reply with a value', { type: 'reply', id: 3, ok: true, value: { anything: 'checked by the call' } }],
    ['a failed reply', { type: 'reply', id: 3, ok: false, error: 'Error: no' }],
    ['a store-call event', { type: 'event', event: storeCall, requestId: 7, happenedAt: AT + 0.25 }],
    ['a clean event outside any request', { type: 'event', event: cleanEvent, requestId: null, happenedAt: AT + 0.25 }],
    ['a background error', { type: 'event', event: { type: 'background-error', at: AT, error: new TypeError('x') }, requestId: null, happenedAt: AT + 0.25 }],
    ['a fault', { type: 'fault', detail: 'Uncaught error in server code: late failure' }],
  ])('accepts %s', (_name, message) => {
    expect(parseFromServer(message)).toEqual(message);
  });

  it.each([
    ['not an object', 'ready'],
    ['null', null],
    ['an unknown type', { type: 'result', ok: true }],
    ['booted, which only comes on the worker’s own channel', { type: 'booted' }],
    ['a store call to a method the Session does not have (a regular expression, say)', { type: 'event', event: { ...storeCall, method: '(a+)+b' }, requestId: null, happenedAt: AT + 0.25 }],
    ['an unknown event type', { type: 'event', event: { type: 'solved', at: AT }, requestId: null, happenedAt: AT + 0.25 }],
    ['an event without its time', { type: 'event', event: { ...cleanEvent, at: undefined }, requestId: null, happenedAt: AT + 0.25 }],
    ['an event without the real time it happened', { type: 'event', event: cleanEvent, requestId: null }],
    ['an event whose real time is not a number', { type: 'event', event: cleanEvent, requestId: null, happenedAt: 'now' }],
    ['an event whose request number is not a number', { type: 'event', event: cleanEvent, requestId: '7', happenedAt: AT + 0.25 }],
    ['a reply with a fractional id', { type: 'reply', id: 1.5, ok: true, value: null }],
    ['a reply that is neither ok nor failed', { type: 'reply', id: 1, ok: 'yes', value: null }],
    ['a failed reply without its error', { type: 'reply', id: 1, ok: false }],
    ['a detail of a megabyte', { type: 'fault', detail: 'x'.repeat(1_000_000) }],
  ])('refuses %s', (_name, message) => {
    expect(parseFromServer(message)).toBeNull();
  });

  it('keeps only the fields the protocol knows', () => {
    const parsed = parseFromServer({ type: 'fault', detail: 'x', html: '<img src=x onerror=alert(1)>' });
    expect(parsed).toEqual({ type: 'fault', detail: 'x' });
  });

  it('takes booted only as the worker’s first word, exactly', () => {
    expect(isBooted({ type: 'booted' })).toBe(true);
    expect(isBooted({ type: 'booted', extra: 1 })).toBe(false);
    expect(isBooted({ type: 'ready', store: 'x' })).toBe(false);
  });
});

describe('the value of a reply', () => {
  describe('to a request', () => {
    it('is a response the page can build', () => {
      expect(replyValue.response(response)).toEqual(response);
    });

    it.each([
      ['a status outside 200–599', { ...response, status: 0 }],
      ['a status that is not a number', { ...response, status: '200' }],
      ['a status text that would split the status line', { ...response, statusText: 'OK\r\nX-Forged: 1' }],
      ['headers that are not pairs', { ...response, headers: [['content-type']] }],
      ['a body that is not bytes', { ...response, body: '<script>' }],
      ['no Set-Cookie field', { ...response, setCookie: undefined }],
    ])('is refused with %s', (_name, value) => {
      expect(replyValue.response(value)).toBeUndefined();
    });
  });

  describe('to a records query', () => {
    it('is a list of records with FluidAuth’s three fields and JSON besides', () => {
      expect(replyValue.records([record])).toEqual([record]);
    });

    it.each([
      ['not a list', { records: [record] }],
      ['a record without a sessionId', [{ ...record, sessionId: undefined }]],
      ['a record whose userId is an object', [{ ...record, userId: { toString: 'x' } }]],
      ['a record holding something JSON cannot', [{ ...record, data: new Map() }]],
      ['a record that holds itself', [(() => { const cyclic: Record<string, unknown> = { ...record }; cyclic['data'] = cyclic; return cyclic; })()]],
    ])('is refused when it is %s', (_name, value) => {
      expect(replyValue.records(value)).toBeUndefined();
    });
  });

  it('to the clock or the secrets is null, and nothing else', () => {
    expect(replyValue.none(null)).toBeNull();
    expect(replyValue.none({ forged: true })).toBeUndefined();
  });
});
