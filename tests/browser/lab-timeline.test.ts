/**
 * The Lab's timeline list, drawn from events in a real browser: where each step of the two-tabs
 * request ran when its tabs went to two servers.
 */
import { describe, expect, it } from 'vitest';
import type { LabContext } from '../../src/components/lab/lab-context.ts';
import { LabTimeline } from '../../src/components/lab/lab-timeline.ts';
import type { SimController, SimEvent } from '../../src/sim/protocol.ts';

const AT = 1_800_000_000_000;

function timelineIn(): { timeline: LabTimeline; root: HTMLElement } {
  const root = document.createElement('div');
  root.innerHTML = '<div data-lab="timeline"><ol data-lab="timeline-list"></ol></div><p data-lab="newest"></p>';
  document.body.append(root);
  const context = {
    root,
    config: { base: '/', store: 'indexeddb', scenario: null, panels: ['timeline'], database: null, servers: 2, balancer: 'round-robin', browsers: ['laptop'] },
    ready: new Promise<SimController>(() => {}),
    controller: null,
    store: { kind: 'indexeddb' },
    part: <T extends HTMLElement>(name: string) => root.querySelector<T>(`[data-lab="${name}"]`),
    status: () => {},
    refresh: () => {},
  } as LabContext;
  return { timeline: new LabTimeline(context), root };
}

function storeCall(seq: number, requestId: number, server: number, method: 'get' | 'compareAndSet', result: 'hit' | 'miss'): SimEvent {
  return { seq, at: AT, kind: 'session', requestId, server, event: { type: 'store-call', at: AT, method, key: 'abc', durationMs: 1, outcome: 'ok', result } };
}

/** Each step of the request's group: the servers it names, and its title. */
function steps(root: HTMLElement, request: string): string[] {
  const group = [...root.querySelectorAll('.lab-group')].find((item) => item.querySelector(':scope > .lab-ev')?.textContent?.includes(request));
  return [...(group?.querySelectorAll('.lab-group-list .lab-ev') ?? [])].map((row) =>
    [...row.querySelectorAll('.lab-ev-server'), row.querySelector('.lab-ev-title')].map((part) => part?.textContent).join(' '),
  );
}

describe('the timeline of a Lab with two servers', () => {
  it('names the server of each step of a two-tabs request whose tabs went to two servers', () => {
    const { timeline, root } = timelineIn();
    timeline.onEvents([
      { seq: 1, at: AT, kind: 'request', id: 4, method: 'POST', path: '/api/cart-two-tabs', cookies: ['session'], server: 2, tabs: [2, 1] },
      storeCall(2, 4, 2, 'get', 'hit'),
      storeCall(3, 4, 1, 'get', 'hit'),
      storeCall(4, 4, 1, 'compareAndSet', 'hit'),
      storeCall(5, 4, 2, 'compareAndSet', 'miss'),
      { seq: 6, at: AT, kind: 'response', id: 4, server: 2, tabs: [2, 1], status: 200, setCookie: null, durationMs: 9 },
    ]);
    expect(steps(root, 'POST /api/cart-two-tabs')).toEqual([
      'Server 2 store.get(abc)',
      'Server 1 store.get(abc)',
      'Server 1 store.compareAndSet(abc)',
      'Server 2 store.compareAndSet(abc)',
      '200 OK',
    ]);
  });

  it('does not repeat the server on the steps of a request one server ran', () => {
    const { timeline, root } = timelineIn();
    timeline.onEvents([
      { seq: 1, at: AT, kind: 'request', id: 5, method: 'GET', path: '/api/account', cookies: ['session'], server: 1 },
      storeCall(2, 5, 1, 'get', 'hit'),
      { seq: 3, at: AT, kind: 'response', id: 5, server: 1, status: 200, setCookie: null, durationMs: 3 },
    ]);
    expect(steps(root, 'GET /api/account')).toEqual(['store.get(abc)', '200 OK']);
  });
});
