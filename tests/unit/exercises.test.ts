/// <reference types="vite/client" />
/**
 * The exercises whose stores live in memory, checked in Node: each starter fails the checks it
 * should, each reference solution passes all of them, each wrong solution is caught with a message
 * that explains it. (Every exercise, the IndexedDB ones included, runs in tests/browser/exercises.test.ts.)
 * Below, the runner itself: deadlines, thrown errors, time travel, a restart.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Nodes, RootContent } from 'mdast';
import { describe, expect, it } from 'vitest';
import { MemoryStore, type SessionRecord } from 'sessionlab';
import { CheckFailure, type CheckContext, type ExerciseCheck } from '../../src/checks/exercise-check.ts';
import { runChecks } from '../../src/checks/run-checks.ts';
import { cleanRemovesUnreadable } from '../../src/exercises/checks/expiry-checks.ts';
import { collectExercises, describeExercise, describeModelStore } from '../support/exercise-suite.ts';

let reloads = 0;
const exercises = collectExercises(
  import.meta.glob('/content/exercises/*/checks.ts', { eager: true }),
  import.meta.glob('/content/exercises/*/expectations.ts', { eager: true }),
  import.meta.glob(['/content/exercises/*/starter.ts', '/content/exercises/*/solution.ts', '/content/exercises/*/wrong/*.ts']),
  (path) => import(/* @vite-ignore */ `${path}?restart=${++reloads}`),
);
const inMemory = exercises.filter((exercise) => !exercise.expectations.needsIndexedDB);

describe('the exercises', () => {
  it('are at least eight, and the memory ones run here', () => {
    expect(exercises.length).toBeGreaterThanOrEqual(8);
    expect(inMemory.length).toBeGreaterThanOrEqual(6);
  });

  it('end with two capstones, each with a bare starter and at least five wrong solutions', () => {
    const capstones = exercises.filter((exercise) => exercise.slug.includes('capstone'));
    expect(capstones.map((exercise) => exercise.slug)).toEqual(['10-capstone-durable-store', '11-capstone-two-servers']);
    for (const capstone of capstones) {
      expect(Object.keys(capstone.wrong).length, capstone.slug).toBeGreaterThanOrEqual(5);
      // Bare: every check fails until the store is written.
      expect([...capstone.expectations.starterFails].sort(), capstone.slug).toEqual(capstone.checks.map((check) => check.id).sort());
    }
  });
});

for (const exercise of inMemory) describeExercise(exercise);

const PAGES = import.meta.glob<string>('/content/exercises/*/index.mdx', { query: '?raw', import: 'default', eager: true });

/** The text a reader sees in a node: its words and code, without Markdown marks, spaces collapsed. */
function textOf(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  return 'children' in node ? (node.children as Nodes[]).map(textOf).join('') : '';
}

/** The bullets of a page's "What the checks look for" section, as text. */
function promisedOnPage(page: string): string[] {
  const tree = fromMarkdown(page.replace(/^---\n[\s\S]*?\n---\n/, ''));
  const start = tree.children.findIndex((node) => node.type === 'heading' && textOf(node).trim() === 'What the checks look for');
  if (start < 0) return [];
  const section: RootContent[] = [];
  for (const node of tree.children.slice(start + 1)) {
    if (node.type === 'heading' && node.depth <= 2) break;
    section.push(node);
  }
  return section.flatMap((node) => (node.type === 'list' ? node.children.map((item) => textOf(item).replace(/\s+/g, ' ').trim()) : []));
}

describe('every promise an exercise makes is checked', () => {
  for (const exercise of exercises) {
    describe(`exercise ${exercise.slug}`, () => {
      const bullets = promisedOnPage(PAGES[`/content/exercises/${exercise.slug}/index.mdx`] ?? '');
      const { promises, wrong } = exercise.expectations;
      const ids = new Set(exercise.checks.map((check) => check.id));

      it('has a "What the checks look for" list, each bullet with at least one promise in expectations.ts', () => {
        expect(bullets.length, 'bullets on the page').toBeGreaterThanOrEqual(3);
        for (const bullet of bullets) {
          expect(promises.some((promise) => bullet.includes(promise.says)), `a promise for the bullet "${bullet}"`).toBe(true);
        }
      });

      for (const promise of promises) {
        it(`"${promise.says}" is on the page, checked by ${promise.checks.join(', ')}, and a wrong solution breaks it`, () => {
          expect(bullets.some((bullet) => bullet.includes(promise.says)), 'the page says it').toBe(true);
          expect(promise.checks.length).toBeGreaterThan(0);
          for (const id of promise.checks) expect(ids, `check ${id}`).toContain(id);
          const breakers = Object.entries(wrong).filter(([, caught]) => promise.checks.some((id) => id in caught));
          expect(breakers.map(([name]) => name), 'wrong solutions caught by these checks').not.toEqual([]);
        });
      }
    });
  }
});

describeModelStore('MemoryStore', inMemory, () => new MemoryStore());

/** A Map store whose get() hides expired and unreadable records, and whose clean() keeps unreadable ones and counts nothing. */
function lazyStoreKeepingUnreadable(where: 'public field' | 'private field' | 'private field, beside a decoy Map') {
  class Lazy extends MemoryStore<SessionRecord> {
    readonly #db = new Map<string, SessionRecord>();
    readonly db = where === 'public field' ? this.#db : null;
    readonly listeners = where === 'private field, beside a decoy Map' ? new Map<string, () => void>([['tick', () => {}]]) : null;
    override create(record: SessionRecord): void {
      this.#db.set(record.sessionId, structuredClone(record));
    }
    override get(sessionId: string): SessionRecord | null {
      const record = this.#db.get(sessionId);
      return record && Date.parse(record.expires) > Date.now() ? structuredClone(record) : null;
    }
    override update(sessionId: string, record: SessionRecord): void {
      if (this.#db.has(sessionId)) this.#db.set(sessionId, structuredClone(record));
    }
    override clean(): number {
      // Compares Dates: an Invalid Date is never <= now, so "not a date" stays for ever.
      for (const [id, record] of this.#db) if (new Date(record.expires) <= new Date()) this.#db.delete(id);
      return undefined as unknown as number; // FluidAuth's clean() returns nothing
    }
  }
  return () => new Lazy();
}

describe('clean-removes-unreadable looks at clean() itself, not through get()', () => {
  for (const where of ['public field', 'private field', 'private field, beside a decoy Map'] as const) {
    it(`fails a clean() that keeps an unreadable expiry behind a hiding get(), with the records in a ${where}`, async () => {
      const [result] = await runChecks({ checks: [cleanRemovesUnreadable('map')], createStore: lazyStoreKeepingUnreadable(where) });
      expect(result).toMatchObject({ passed: false, message: expect.stringMatching(/^After clean\(\), the session whose expires is "not a date" is still in the store \(seen (in this\.db|by update\(\) and get\(\): update\(\) still found it)\)/) });
    });
  }

  it('passes the library\'s MemoryStore', async () => {
    const [result] = await runChecks({ checks: [cleanRemovesUnreadable('map')], createStore: () => new MemoryStore() });
    expect(result).toMatchObject({ passed: true });
  });
});

/** A check built in the test: `body` gets the context. */
function check(id: string, body: (context: CheckContext) => Promise<void>): ExerciseCheck {
  return { id, title: `check ${id}`, hint: `hint for ${id}`, run: body };
}

describe('runChecks', () => {
  it('returns one result per check, in order, with id, title, verdict, message, hint and duration', async () => {
    const seen: string[] = [];
    const results = await runChecks({
      checks: [
        check('passes', async (context) => void (await context.createStore()).get('x')),
        check('fails', async () => {
          throw new CheckFailure('it went wrong like this');
        }),
      ],
      createStore: () => new MemoryStore(),
      onResult: (result) => seen.push(result.id),
    });
    expect(results).toEqual([
      { id: 'passes', title: 'check passes', passed: true, hint: 'hint for passes', durationMs: expect.any(Number) },
      { id: 'fails', title: 'check fails', passed: false, message: 'it went wrong like this', hint: 'hint for fails', durationMs: expect.any(Number) },
    ]);
    expect(seen).toEqual(['passes', 'fails']);
  });

  it('fails a check whose store never settles when its deadline passes, and runs the next one', async () => {
    class HangingStore extends MemoryStore<SessionRecord> {
      override get(): never {
        return new Promise(() => {}) as never;
      }
    }
    const started = performance.now();
    const results = await runChecks({
      checks: [check('hangs', async (context) => void (await (await context.createStore()).get('x'))), check('after', async () => {})],
      createStore: () => new HangingStore(),
      timeoutMs: 50,
    });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(results[0]).toMatchObject({ id: 'hangs', passed: false, message: expect.stringMatching(/^No answer within 50 ms: a store method never finished/) });
    expect(results[1]).toMatchObject({ id: 'after', passed: true });
  });

  it('fails a check whose store never finishes being created, instead of hanging', async () => {
    const [result] = await runChecks({
      checks: [check('never-created', async (context) => void (await context.createStore()))],
      createStore: () => new Promise<never>(() => {}),
      timeoutMs: 50,
    });
    expect(result).toMatchObject({ passed: false, message: expect.stringMatching(/^No answer within/) });
  });

  it('reports what a store threw, and a constructor that throws, in the reader\'s terms', async () => {
    class ThrowingStore extends MemoryStore<SessionRecord> {
      override create(): void {
        throw new RangeError('disk full');
      }
    }
    const run = (createStore: () => MemoryStore<SessionRecord>) =>
      runChecks({ checks: [check('create', async (context) => (await context.createStore()).create({} as SessionRecord))], createStore });
    expect((await run(() => new ThrowingStore()))[0]?.message).toBe('The store threw: RangeError: disk full');
    const [constructed] = await run(() => {
      throw new TypeError('this.options is undefined');
    });
    expect(constructed?.message).toMatch(/^Creating the store threw TypeError: this\.options is undefined\. The constructor runs with no arguments/);
  });

  it('moves the time the store sees when a check travels, and puts the real Date back afterwards', async () => {
    const RealDate = Date;
    const seen: Record<string, number | string | boolean> = {};
    await runChecks({
      checks: [
        check('travel', async (context) => {
          const before = Date.now();
          context.clock.travel(2 * 3_600_000);
          seen['shift'] = Date.now() - before;
          seen['constructed'] = new Date().getTime() - before;
          seen['called'] = typeof Date();
          seen['instance'] = new Date() instanceof RealDate;
          context.clock.freeze(Date.parse('2030-01-01T00:00:00.000Z'));
          seen['frozen'] = new Date().toISOString();
          seen['parse'] = Date.parse('2020-01-01T00:00:00.000Z');
        }),
      ],
      createStore: () => new MemoryStore(),
    });
    expect(seen['shift']).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect(seen['shift']).toBeLessThan(2 * 3_600_000 + 1000);
    expect(seen['constructed']).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect(seen).toMatchObject({ called: 'string', instance: true, frozen: '2030-01-01T00:00:00.000Z', parse: 1_577_836_800_000 });
    expect(Date).toBe(RealDate);
    expect(Math.abs(Date.now() - performance.timeOrigin - performance.now())).toBeLessThan(1000);
    expect(new Date(0).constructor).toBe(RealDate);
  });

  it('puts the real Date back after a check that travelled and then timed out', async () => {
    const RealDate = Date;
    await runChecks({
      checks: [
        check('stuck', async (context) => {
          context.clock.travel(60_000);
          await new Promise(() => {});
        }),
      ],
      createStore: () => new MemoryStore(),
      timeoutMs: 30,
    });
    expect(Date).toBe(RealDate);
  });

  it('makes the instance after a restart with restartStore, and every other with createStore', async () => {
    const made: string[] = [];
    await runChecks({
      checks: [
        check('restart', async (context) => {
          await context.createStore();
          await context.createStore();
          await context.restart();
        }),
      ],
      createStore: () => (made.push('create'), new MemoryStore()),
      restartStore: () => (made.push('restart'), new MemoryStore()),
    });
    expect(made).toEqual(['create', 'create', 'restart']);
  });

  it('has no IndexedDB to offer in Node, and says so in checks that need it', async () => {
    let offered: unknown = 'not run';
    await runChecks({ checks: [check('idb', async (context) => void (offered = context.indexedDB))], createStore: () => new MemoryStore() });
    expect(offered).toBeNull();
  });

  it('rejects checks with the same id, and an unknown id in only', async () => {
    const twice = [check('same', async () => {}), check('same', async () => {})];
    await expect(runChecks({ checks: twice, createStore: () => new MemoryStore() })).rejects.toThrow(/two checks have the id "same"/);
    await expect(runChecks({ checks: [check('a', async () => {})], createStore: () => new MemoryStore(), only: ['b'] })).rejects.toThrow(/no check has the id "b"\. Known ids: a\./);
  });

  it('announces each check as it starts, and reports a check it was told to skip as not run, with the reason', async () => {
    const started: string[] = [];
    let stuck = false;
    const results = await runChecks({
      checks: [
        check('first', async () => {
          stuck = true;
        }),
        check('second', async () => {}),
      ],
      createStore: () => new MemoryStore(),
      onStart: (id) => started.push(id),
      skipReason: () => (stuck ? 'Not run: the store stopped answering.' : null),
    });
    expect(started).toEqual(['first']);
    expect(results.map(({ id, passed, skipped, message }) => ({ id, passed, skipped, message }))).toEqual([
      { id: 'first', passed: true, skipped: undefined, message: undefined },
      { id: 'second', passed: false, skipped: 'Not run: the store stopped answering.', message: undefined },
    ]);
  });

  it('runs only the checks asked for', async () => {
    const results = await runChecks({ checks: [check('a', async () => {}), check('b', async () => {})], createStore: () => new MemoryStore(), only: ['b'] });
    expect(results.map((result) => result.id)).toEqual(['b']);
  });
});
