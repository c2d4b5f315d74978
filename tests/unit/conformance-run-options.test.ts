/**
 * runConformance's own options, as a store author uses them: live progress through onResult, and
 * mistakes in `only` or `skip` named after the function the author called.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from 'sessionlab';
import { conformanceChecks, runConformance, type ConformanceResult } from 'sessionlab/conformance';

describe('runConformance, its options', () => {
  it('onResult hears each check as it finishes, in order, with its level, before the results come back', async () => {
    const heard: ConformanceResult[] = [];
    let returned = false;
    const running = runConformance({
      createStore: () => new MemoryStore(),
      only: ['create-get', 'get-missing', 'delete'],
      onResult: (result) => {
        expect(returned).toBe(false);
        heard.push(result);
      },
    });
    const results = await running;
    returned = true;
    expect(heard.map((result) => result.id)).toEqual(['create-get', 'get-missing', 'delete']);
    expect(heard).toEqual(results);
    const levels = new Map(conformanceChecks.map((check) => [check.id, check.level]));
    for (const result of heard) expect(result.level).toBe(levels.get(result.id));
  });

  it('names itself when `only` lists an id no check has', async () => {
    await expect(runConformance({ createStore: () => new MemoryStore(), only: ['no-such-check'] })).rejects.toThrow(
      /^runConformance: no check has the id "no-such-check"\. Known ids: create-get, /,
    );
  });
});
