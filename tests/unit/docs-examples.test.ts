/**
 * The runnable examples the docs show are true: each `content/docs/**\/_examples/NAME.ts` prints exactly what its
 * page shows as its output (`NAME.out.txt` beside it), and the store walkthrough ends where its page says it does.
 * (The walkthrough page runs the conformance suite on each step itself, when the site is built; this guards the
 * two ends of the story so a change in the library cannot quietly turn it into a different one.)
 */
import { globSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runConformance } from 'sessionlab/conformance';

const docs = fileURLToPath(new URL('../../content/docs/', import.meta.url));
const examples = globSync('**/_examples/*.ts', { cwd: docs }).sort();

describe('the runnable examples in the docs', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('are there', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  for (const example of examples) {
    it(`${example} prints what its page says it prints`, async () => {
      const printed: string[] = [];
      vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed.push(args.map(String).join(' '));
      });
      await import(/* @vite-ignore */ `${docs}${example}`);
      const expected = readFileSync(`${docs}${example.replace(/\.ts$/, '.out.txt')}`, 'utf8').trimEnd().split('\n');
      expect(printed).toEqual(expected);
    });
  }
});

describe('the store walkthrough (Write your own store)', () => {
  const step = async (n: number) => {
    const { MapStore } = (await import(/* @vite-ignore */ `${docs}start/_walkthrough/step-${n}.js`)) as { MapStore: new () => never };
    return runConformance({ createStore: () => new MapStore() });
  };

  it('starts with a store that passes every required check and fails some recommended ones', async () => {
    const results = await step(1);
    expect(results.filter((result) => result.level === 'required' && !result.passed)).toEqual([]);
    expect(results.some((result) => result.level === 'recommended' && !result.passed)).toBe(true);
  });

  it('ends with a store that passes every check it is held to (a check of an optional method it lacks is not offered)', async () => {
    const failed = (await step(5)).filter((result) => !result.passed && result.skipped !== 'not-offered').map((result) => `${result.id}: ${result.message}`);
    expect(failed).toEqual([]);
  });
});
