/**
 * Events of several servers, in the order they happened. Each server is a worker of its own, and
 * what two workers post reaches the page in the order the page gets round to it: while the page is
 * busy (drawing the timeline, on a slow phone), one worker's whole batch can land before the
 * other's. The log must still tell the two-tabs race as it ran: the write that went through before
 * the one it refused, even when a worker the machine starved stamped its write later.
 */
import { deleteDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { startLab } from '../../src/sim/lab.ts';
import type { SimController, SimEvent } from '../../src/sim/protocol.ts';

const labs: SimController[] = [];
const databases: string[] = [];

afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.dispose();
  for (const name of databases.splice(0)) await deleteDB(name);
});

function post(path: string, body: unknown): Promise<Response> {
  return fetch(`/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Keeps the page's main thread busy for `ms` real milliseconds, as heavy drawing would. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

type SessionSimEvent = Extract<SimEvent, { kind: 'session' }>;

function sessionEventsOf(lab: SimController, requestId: number): SessionSimEvent[] {
  return lab.events().filter((event): event is SessionSimEvent => event.kind === 'session' && event.requestId === requestId);
}

describe('events of two servers that serve two tabs at once, while the page is busy', () => {
  it('are numbered in the order they happened: the write that went through comes before the one it refused', async () => {
    const database = `event-order-${crypto.randomUUID()}`;
    databases.push(database);
    const lab = await startLab({ store: { kind: 'indexeddb' }, base: '/', database, servers: 2 });
    labs.push(lab);
    expect((await post('login', { user: 'ada' })).status).toBe(200);

    for (let round = 0; round < 6; round++) {
      const answer = post('cart-two-tabs', { items: [`tea ${round}`, `jam ${round}`] });
      // The servers work on while the page is stuck: their events pile up in two queues.
      await new Promise((resolve) => setTimeout(resolve, 2 + round));
      busy(60);
      expect((await answer).status).toBe(200);

      const request = lab.events().findLast((event) => event.kind === 'request' && event.path === '/api/cart-two-tabs');
      if (request?.kind !== 'request') throw new Error('No two-tabs request in the events.');
      const steps = sessionEventsOf(lab, request.id);
      const times = steps.map((step) => step.event.at);
      for (const server of [1, 2]) {
        const own = steps.filter((step) => step.server === server).map((step) => step.event.at);
        expect(own, `round ${round}: server ${server}'s own steps, in their order`).toEqual([...own].sort((a, b) => a - b));
      }

      const writes = steps.flatMap((step) =>
        step.event.type === 'store-call' && step.event.method === 'compareAndSet' ? [{ server: step.server, result: step.event.result, at: step.event.at }] : [],
      );
      const refused = writes.findIndex((write) => write.result === 'miss');
      expect(refused, `round ${round}: one write was refused`).toBeGreaterThan(0);
      const refuser = writes.slice(0, refused).find((write) => write.result === 'hit' && write.server !== writes[refused]!.server);
      expect(refuser, `round ${round}: the write that refused it came first, on the other server`).toBeDefined();
      // Otherwise in the order of each step's own time. A worker the machine starved stamps its write
      // late; the write it made still comes before the one it refused, whatever the stamps say.
      if (refuser!.at <= writes[refused]!.at) {
        expect(times, `round ${round}: each step's own time, in log order`).toEqual([...times].sort((a, b) => a - b));
      }
    }
  });
});
