/**
 * For browser tests of the simulated server: Labs and IndexedDB databases that are cleaned up after
 * each test, and the demo page's `fetch` to the Lab's API.
 */
import { deleteDB } from 'idb';
import { afterEach } from 'vitest';
import { startLab } from '../../src/sim/lab.ts';
import type { LabOptions, SimController } from '../../src/sim/protocol.ts';

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Registers the clean-up (every Lab disposed, every database deleted after each test) and returns
 * what makes them. `prefix` names the test file's databases.
 */
export function labsForTests(prefix: string): { newLab(options?: Partial<LabOptions>): Promise<SimController>; newDatabase(): string } {
  const labs: SimController[] = [];
  const databases: string[] = [];
  afterEach(async () => {
    for (const lab of labs.splice(0)) await lab.dispose();
    for (const name of databases.splice(0)) await deleteDB(name);
  });
  return {
    /** A Lab on a MemoryStore at the root unless `options` say otherwise, disposed after the test. */
    async newLab(options = {}) {
      const lab = await startLab({ store: { kind: 'memory' }, base: '/', ...options });
      labs.push(lab);
      return lab;
    },
    /** A database name no other test uses, deleted after the test. */
    newDatabase() {
      const name = `${prefix}-${crypto.randomUUID()}`;
      databases.push(name);
      return name;
    },
  };
}

/** A request to the Lab's API as the demo page makes it: a JSON body makes it a POST. */
export async function api(path: string, body?: unknown, init: RequestInit = {}): Promise<ApiAnswer> {
  const request: RequestInit = body === undefined ? { ...init } : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...init };
  const response = await fetch(`/api/${path}`, request);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
