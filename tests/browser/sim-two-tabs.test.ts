/**
 * The two-tabs demo: two requests add to one cart at the same instant, inside the simulated server.
 * A compare-and-set store keeps both items; a last-write-wins store loses one — which shows that the
 * demo can fail, and what compareAndSet buys.
 */
import { deleteDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { startLab } from '../../src/sim/lab.ts';
import type { SimController, StoreChoice } from '../../src/sim/protocol.ts';

const labs: SimController[] = [];
const databases: string[] = [];

afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.dispose();
  for (const name of databases.splice(0)) await deleteDB(name);
});

async function signedInLab(store: StoreChoice): Promise<SimController> {
  const database = `two-tabs-${crypto.randomUUID()}`;
  databases.push(database);
  const lab = await startLab({ store, base: '/', database });
  labs.push(lab);
  await post('login', { user: 'ada' });
  return lab;
}

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function cart(): Promise<string[]> {
  return ((await (await fetch('/api/account')).json()) as { cart: string[] }).cart;
}

describe('two tabs adding to one cart at the same instant', () => {
  for (const [name, store] of [
    ['MemoryStore', { kind: 'memory' }],
    ['IndexedDBStore', { kind: 'indexeddb' }],
  ] as const) {
    it(`keep both items with ${name}, which merges through compareAndSet`, async () => {
      const lab = await signedInLab(store);
      const answer = await post('cart-two-tabs', { items: ['tea', 'jam'] });
      expect(answer.status).toBe(200);
      expect(answer.body['tabs']).toEqual([expect.objectContaining({ status: 200 }), expect.objectContaining({ status: 200 })]);
      expect((await cart()).sort()).toEqual(['jam', 'tea']);
      const merged = lab.events().filter((event) => event.kind === 'session' && event.event.type === 'session-merged');
      expect(merged.length).toBeGreaterThan(0);
    });
  }

  it('lose one item with a last-write-wins store', async () => {
    const lab = await signedInLab({ kind: 'memory', lastWriteWins: true });
    expect(lab.events().filter((event) => event.kind === 'server').at(-1)).toMatchObject({ store: 'MemoryStore (last write wins)' });
    const answer = await post('cart-two-tabs', { items: ['tea', 'jam'] });
    expect(answer.status).toBe(200);
    expect(await cart()).toHaveLength(1);
  });

  it('answers 400 to a body that is not two items', async () => {
    await signedInLab({ kind: 'memory' });
    expect((await post('cart-two-tabs', { items: ['only one'] })).status).toBe(400);
  });
});
