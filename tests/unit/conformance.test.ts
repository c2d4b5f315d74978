import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BaseSessionStore, MemoryStore, type ISessionData, type SessionRecord } from 'sessionlab';
import { CheckFailure, ClockControl, NotOffered, conformanceChecks, expectOffered, patchDate, runChecks, runConformance, type Check } from 'sessionlab/conformance';
import { FluidAuthDocsStore } from '../fixtures/fluidauth-docs-store.js';
import { LazyMapStore, WRONG_STORES } from '../fixtures/wrong-stores.ts';
import { describeConformance } from '../support/conformance.ts';

describeConformance('A store written from FluidAuth\'s docs', {
  createStore: () => new FluidAuthDocsStore(),
  expectFailures: {
    'get-expired': /expected null/,
    'copies-out': /after changing the record a previous get\(\) handed out/,
    'copies-in': /after changing the object given to create\(\)/,
    'clean-unreadable-expiry': /not a date/,
    'create-duplicate': /same sessionId succeeded/,
    'clean-count': /returned undefined/,
    'compare-and-set': /no compareAndSet\(\): concurrent changes .* overwrite each other/,
    'compare-and-set-concurrent': /no compareAndSet/,
    'list-by-user': /no listByUser/,
    // Not offered, which describeConformance counts with the failures: neither passed.
    'all-records': /no all\(\)/,
  },
});

/** A store that is wrong in the ways readers' stores tend to be. */
class CarelessStore extends BaseSessionStore {
  db = new Map<string, ISessionData>();
  create(record: ISessionData): void {
    this.db.set(record.sessionId, { sessionId: record.sessionId, userId: record.userId, expires: record.expires });
  }
  get(id: string): ISessionData | null {
    return this.db.get(id) ?? null;
  }
  update(id: string, record: ISessionData): void {
    this.db.set(id, record);
  }
  delete(): void {}
  clean(): void {}
}

describe('runConformance', () => {
  it('returns one result per check, with id, title, level, verdict and hint', async () => {
    const results = await runConformance({ createStore: () => new MemoryStore() });
    expect(results.map((result) => result.id)).toEqual(conformanceChecks.map((check) => check.id));
    for (const result of results) {
      expect(result).toMatchObject({ passed: true, level: expect.stringMatching(/^(required|recommended)$/) });
      expect(result.hint.length).toBeGreaterThan(20);
    }
  });

  it('fails a careless store on the checks it breaks, with a message naming what went wrong', async () => {
    const results = await runConformance({ createStore: () => new CarelessStore() });
    const failed = Object.fromEntries(results.filter((result) => !result.passed).map((result) => [result.id, result.message]));
    expect(Object.keys(failed)).toEqual(
      expect.arrayContaining(['create-get', 'update-missing', 'delete', 'clean-removes-expired']),
    );
    expect(failed['create-get']).toMatch(/expected .*"createdAt"/);
    expect(failed['delete']).toMatch(/get\(\) after delete\(\) returned/);
  });

  it('fails a check whose store never answers, instead of hanging', async () => {
    class HangingStore extends MemoryStore {
      override get(): never {
        return new Promise(() => {}) as never;
      }
    }
    const [result] = await runConformance({ createStore: () => new HangingStore(), only: ['get-missing'], timeoutMs: 50 });
    expect(result).toMatchObject({ id: 'get-missing', passed: false, timedOut: true });
    expect(result?.message).toMatch(/No answer within 50 ms/);
  });

  it('says timedOut only of a check that got no answer in time, not of one that fails by saying the same words', async () => {
    const checks: Check<object>[] = [
      { id: 'words', title: 'Fails with the deadline’s words', hint: '', run: async () => Promise.reject(new CheckFailure('No answer within 50 ms: made up.')) },
    ];
    const [result] = await runChecks(checks, { setup: () => ({}) });
    expect(result).toMatchObject({ passed: false, message: 'No answer within 50 ms: made up.' });
    expect(result).not.toHaveProperty('timedOut');
  });

  it('reports a throwing store as a failure with the error it threw', async () => {
    class ThrowingStore extends MemoryStore {
      override create(): void {
        throw new RangeError('disk full');
      }
    }
    const [result] = await runConformance({ createStore: () => new ThrowingStore(), only: ['create-get'] });
    expect(result?.message).toBe('The store threw: RangeError: disk full');
  });

  it('marks skipped checks with their reason, and rejects unknown ids', async () => {
    const results = await runConformance({ createStore: () => new MemoryStore(), skip: { 'many-sessions': 'too slow here' } });
    expect(results.find((result) => result.id === 'many-sessions')).toMatchObject({ passed: false, skipped: 'too slow here' });
    await expect(runConformance({ createStore: () => new MemoryStore(), only: ['nope'] })).rejects.toThrow(/no check has the id "nope"/);
  });

  it('catches a compareAndSet() that reads and writes in two steps', async () => {
    class RacyStore extends BaseSessionStore<SessionRecord> {
      readonly inner = new MemoryStore();
      create(record: SessionRecord): void {
        this.inner.create(record);
      }
      get(id: string): SessionRecord | null {
        return this.inner.get(id);
      }
      update(id: string, record: SessionRecord): void {
        this.inner.update(id, record);
      }
      delete(id: string): void {
        this.inner.delete(id);
      }
      clean(): number {
        return this.inner.clean();
      }
      override async compareAndSet(id: string, expected: number, record: SessionRecord): Promise<boolean> {
        const current = this.inner.get(id);
        await Promise.resolve(); // another writer runs here
        if (current?.version !== expected) return false;
        this.inner.update(id, record);
        return true;
      }
    }
    const [result] = await runConformance({ createStore: () => new RacyStore(), only: ['compare-and-set-concurrent'] });
    expect(result?.passed).toBe(false);
    expect(result?.message).toMatch(/some writes overwrote others/);
  });

  describe('optional methods', () => {
    /** A correct Map store with none of the optional methods. */
    const BARE = () => new LazyMapStore();

    it('are "not offered" when missing, all of them alike: neither a pass nor a failure, with the method named', async () => {
      const results = await runConformance({ createStore: BARE, only: ['compare-and-set', 'compare-and-set-concurrent', 'list-by-user', 'all-records'] });
      expect(results.map(({ id, passed, skipped, notOffered }) => ({ id, passed, skipped, notOffered }))).toEqual([
        { id: 'compare-and-set', passed: false, skipped: 'not-offered', notOffered: 'compareAndSet' },
        { id: 'compare-and-set-concurrent', passed: false, skipped: 'not-offered', notOffered: 'compareAndSet' },
        { id: 'list-by-user', passed: false, skipped: 'not-offered', notOffered: 'listByUser' },
        { id: 'all-records', passed: false, skipped: 'not-offered', notOffered: 'all' },
      ]);
      for (const result of results) expect(result.message).toMatch(/^The store has no \w+\(\): /);
    });

    it('are held to their checks when offered: MemoryStore passes every one', async () => {
      const results = await runConformance({ createStore: () => new MemoryStore(), only: ['compare-and-set', 'compare-and-set-concurrent', 'list-by-user', 'all-records'] });
      expect(results.map(({ id, passed, skipped }) => ({ id, passed, skipped }))).toEqual(
        ['compare-and-set', 'compare-and-set-concurrent', 'list-by-user', 'all-records'].map((id) => ({ id, passed: true, skipped: undefined })),
      );
    });

    it('are never "not offered" in a required check: what a required check needs, the store must have', async () => {
      const checks: Check<{ store: object }>[] = [
        { id: 'needs-it', title: 'Needs touch()', level: 'required', hint: 'Offer touch().', run: async ({ store }) => expectOffered(store, 'touch', 'nothing moves the expiry') },
        { id: 'would-like-it', title: 'Would like touch()', level: 'recommended', hint: 'Offer touch().', run: async ({ store }) => expectOffered(store, 'touch', 'nothing moves the expiry') },
      ];
      const [required, recommended] = await runChecks(checks, { setup: () => ({ store: {} }) });
      expect(required).toEqual({ id: 'needs-it', title: 'Needs touch()', level: 'required', passed: false, message: 'The store has no touch(): nothing moves the expiry.', hint: 'Offer touch().', durationMs: expect.any(Number) });
      expect(recommended).toMatchObject({ passed: false, skipped: 'not-offered', notOffered: 'touch' });
    });

    it('are missing only when not a function: NotOffered carries the method', () => {
      expect(() => expectOffered({ touch: 'yes' }, 'touch', 'x')).toThrow(NotOffered);
      expect(() => expectOffered({ touch() {} }, 'touch', 'x')).not.toThrow();
      try {
        expectOffered({}, 'all', 'nothing lists');
      } catch (error) {
        expect(error).toMatchObject({ name: 'NotOffered', method: 'all', message: 'The store has no all(): nothing lists.' });
      }
    });
  });

  describe('the all() check', () => {
    it('reports a store without all() as not offered: neither a pass nor a failure', async () => {
      const [result] = await runConformance({ createStore: () => new FluidAuthDocsStore(), only: ['all-records'] });
      expect(result).toMatchObject({ id: 'all-records', level: 'recommended', passed: false, skipped: 'not-offered', notOffered: 'all' });
      expect(result?.message).toBe('The store has no all(): inspectors and admin tools cannot list its records.');
    });

    it('catches an all() that hands out the stored objects', async () => {
      /** Copies in and out everywhere but in all(). */
      class SharingStore extends BaseSessionStore<SessionRecord> {
        readonly db = new Map<string, SessionRecord>();
        create(record: SessionRecord): void {
          this.db.set(record.sessionId, structuredClone(record));
        }
        get(id: string): SessionRecord | null {
          const record = this.db.get(id);
          return record && Date.parse(record.expires) > Date.now() ? structuredClone(record) : null;
        }
        update(id: string, record: SessionRecord): void {
          if (this.db.has(id)) this.db.set(id, structuredClone(record));
        }
        delete(id: string): void {
          this.db.delete(id);
        }
        clean(): number {
          const expired = [...this.db.values()].filter((record) => !(Date.parse(record.expires) > Date.now()));
          for (const record of expired) this.db.delete(record.sessionId);
          return expired.length;
        }
        override all(): SessionRecord[] {
          return [...this.db.values()];
        }
      }
      const [result] = await runConformance({ createStore: () => new SharingStore(), only: ['all-records'] });
      expect(result?.passed).toBe(false);
      expect(result?.message).toMatch(/get\(\) after changing a record from all\(\) returned .*"mallory"/);
    });

    it('catches an all() that reads through get(), which removes expired records', async () => {
      class ThroughGetStore extends MemoryStore {
        override all(): SessionRecord[] {
          return super.all().flatMap((record) => this.get(record.sessionId) ?? []);
        }
      }
      const [result] = await runConformance({ createStore: () => new ThroughGetStore(), only: ['all-records'] });
      expect(result?.passed).toBe(false);
      expect(result?.message).toMatch(/clean\(\) after all\(\) returned 0, expected 1 .*all\(\) must leave every record in place/);
    });

    it('catches an all() that lists a record twice', async () => {
      class DoublingStore extends MemoryStore {
        override all(): SessionRecord[] {
          return [...super.all(), ...super.all()];
        }
      }
      const [result] = await runConformance({ createStore: () => new DoublingStore(), only: ['all-records'] });
      expect(result?.passed).toBe(false);
      expect(result?.message).toMatch(/each stored record once, and nothing else/);
    });
  });

  it('disposes every store it created', async () => {
    let created = 0;
    let disposed = 0;
    await runConformance({
      createStore: () => {
        created++;
        return new MemoryStore();
      },
      disposeStore: () => {
        disposed++;
      },
    });
    expect(created).toBe(conformanceChecks.length);
    expect(disposed).toBe(created);
  });
});

describe('clean-unreadable-expiry, against a clean() that keeps what get() hides', () => {
  /**
   * get() treats an unreadable expiry as expired; clean() compares with <, so it keeps such records (in a
   * field all() does not list either). Once such a record gets a readable expiry, get() shows it again.
   */
  class HidesUnreadable extends MemoryStore {
    readonly kept = new Map<string, SessionRecord>();
    override create(record: SessionRecord): void {
      if (Number.isNaN(Date.parse(record.expires))) this.kept.set(record.sessionId, structuredClone(record));
      else super.create(record);
    }
    override get(id: string): SessionRecord | null {
      const kept = this.kept.get(id);
      if (kept) return Number.isNaN(Date.parse(kept.expires)) ? null : structuredClone(kept);
      return super.get(id);
    }
    override update(id: string, record: SessionRecord): void {
      if (this.kept.has(id)) this.kept.set(id, structuredClone(record));
      else super.update(id, record);
    }
  }

  it('fails it, whether or not clean() returns a count', async () => {
    class Silent extends HidesUnreadable {
      override clean(): number {
        super.clean();
        return undefined as unknown as number;
      }
    }
    for (const Store of [HidesUnreadable, Silent]) {
      const [result] = await runConformance({ createStore: () => new Store(), only: ['clean-unreadable-expiry'] });
      expect(result?.passed, Store.name).toBe(false);
      expect(result?.message).toMatch(/^get\(\) after clean\(\) and then an update\(\) that gave the session with expires "not a date" a readable expiry \(clean\(\) kept it, or update\(\) wrote/);
    }
  });

  it('passes MemoryStore, which removes it', async () => {
    const [result] = await runConformance({ createStore: () => new MemoryStore(), only: ['clean-unreadable-expiry'] });
    expect(result).toMatchObject({ passed: true });
  });
});

describe('the required checks, against stores that are wrong in a way another method hides', () => {
  it('pass the correct store the wrong ones are made from', async () => {
    const results = await runConformance({ createStore: () => new LazyMapStore() });
    expect(results.filter((result) => result.level === 'required' && !result.passed)).toEqual([]);
  });

  for (const wrong of WRONG_STORES) {
    it(`fail ${wrong.name}`, async () => {
      const results = await runConformance({ createStore: wrong.create });
      const caught = results.find((result) => result.id === wrong.caughtBy);
      expect(caught).toMatchObject({ level: 'required', passed: false });
      expect(caught?.message).toMatch(wrong.message);
    });
  }

  it('leave the global Date as they found it, whatever the store did', async () => {
    const before = globalThis.Date;
    await runConformance({ createStore: () => new LazyMapStore() });
    for (const wrong of WRONG_STORES) await runConformance({ createStore: wrong.create });
    expect(globalThis.Date).toBe(before);
    expect(new Date().constructor).toBe(before);
  }, 30_000); // every wrong store runs the whole suite: seconds on a busy machine

  it('run on their own clock when called without the runner, as a site may call them', async () => {
    const check = conformanceChecks.find((candidate) => candidate.id === 'clean-removes-expired')!;
    const before = globalThis.Date;
    await expect(check.run(new LazyMapStore())).resolves.toBeUndefined();
    await expect(check.run(WRONG_STORES[0]!.create())).rejects.toThrow(/clean\(\) left 6 of 6 expired sessions/);
    expect(globalThis.Date).toBe(before);
  });
});

describe('patchDate', () => {
  it('makes Date.now(), new Date() and Date() read the given time; parse and dates from arguments are untouched', () => {
    const restore = patchDate(() => Date.UTC(2030, 0, 1));
    try {
      expect(Date.now()).toBe(Date.UTC(2030, 0, 1));
      expect(new Date().toISOString()).toBe('2030-01-01T00:00:00.000Z');
      expect(Date()).toBe(new Date(Date.UTC(2030, 0, 1)).toString());
      expect(new Date(0).getTime()).toBe(0);
      expect(Date.parse('2020-01-01T00:00:00Z')).toBe(Date.UTC(2020, 0, 1));
      expect(new Date()).toBeInstanceOf(Date);
      expect(new Date().constructor).toBe(Date);
    } finally {
      restore();
    }
  });

  it('can be taken off out of order: the lower patch reads through until the upper one goes too', () => {
    const original = globalThis.Date;
    const restoreLower = patchDate(() => 1_000);
    const restoreUpper = patchDate(() => 2_000);
    restoreLower();
    expect(Date.now()).toBe(2_000);
    restoreUpper();
    expect(globalThis.Date).toBe(original);
    expect(Math.abs(Date.now() - performance.timeOrigin - performance.now())).toBeLessThan(60_000);
    restoreUpper(); // twice is harmless
    expect(globalThis.Date).toBe(original);
  });

  describe('when Date.prototype is frozen (a locked-down realm)', () => {
    it('still patches and restores Date, leaving the frozen constructor link as it was', () => {
      // The frozen Date comes from a realm of its own (node:vm): freezing this process's Date.prototype
      // would stay frozen for every test after this one.
      const FrozenDate = runInNewContext('Object.freeze(Date.prototype); Date') as DateConstructor;
      const own = globalThis.Date;
      const seen: { patched?: DateConstructor; now?: number; iso?: string; constructor?: unknown; restored?: DateConstructor; error?: unknown } = {};
      globalThis.Date = FrozenDate;
      try {
        const restore = patchDate(() => Date.UTC(2030, 0, 1));
        seen.patched = globalThis.Date;
        seen.now = Date.now();
        seen.iso = new Date().toISOString();
        seen.constructor = new Date().constructor;
        restore();
        seen.restored = globalThis.Date;
      } catch (error) {
        seen.error = error;
      } finally {
        globalThis.Date = own;
      }
      expect(seen.error).toBeUndefined();
      expect(seen.patched).not.toBe(FrozenDate);
      expect(seen.now).toBe(Date.UTC(2030, 0, 1));
      expect(seen.iso).toBe('2030-01-01T00:00:00.000Z');
      expect(seen.constructor).toBe(FrozenDate);
      expect(seen.restored).toBe(FrozenDate);
    });
  });
});

describe('ClockControl', () => {
  it('installs on its first move, moves forward, back and stops, and restores the Date it found', () => {
    const original = globalThis.Date;
    const clock = new ClockControl({ base: () => 10_000 });
    expect(clock.installed).toBe(false);
    clock.travel(500);
    expect(clock.installed).toBe(true);
    expect(Date.now()).toBe(10_500);
    clock.travelTo(1_000);
    expect(new Date().getTime()).toBe(1_000);
    clock.freeze(5_000);
    clock.travel(1);
    expect(clock.now()).toBe(5_001);
    clock.resume();
    expect(Date.now()).toBe(5_001);
    expect(() => clock.travel(-1)).toThrow(/travelTo\(at\) to go back/);
    clock.restore();
    expect(globalThis.Date).toBe(original);
    expect(clock.now()).toBe(10_000);
  });
});

describe('runChecks', () => {
  const noop = async (): Promise<void> => {};
  const check = (id: string, run: Check<{ clock: ClockControl }>['run'] = noop, level?: 'required' | 'recommended'): Check<{ clock: ClockControl }> => ({
    id,
    title: `check ${id}`,
    hint: `hint ${id}`,
    ...(level ? { level } : {}),
    run,
  });

  it('passes each check level through unchanged, and leaves it out when a check has none', async () => {
    const results = await runChecks([check('a', noop, 'recommended'), check('b')], { setup: (_check, clock) => ({ clock }) });
    expect(results.map((result) => result.level)).toEqual(['recommended', undefined]);
    expect('level' in results[1]!).toBe(false);
  });

  it('restores the check clock when a check times out while it is still moved', async () => {
    const original = globalThis.Date;
    const [result] = await runChecks(
      [
        check('hangs', async ({ clock }) => {
          clock.travel(3_600_000);
          await new Promise(() => {});
        }),
      ],
      { setup: (_check, clock) => ({ clock }), timeoutMs: 20 },
    );
    expect(result?.message).toMatch(/No answer within 20 ms/);
    expect(globalThis.Date).toBe(original);
  });

  it('calls onStart, skipReason, setup and teardown once per check, teardown even when the check failed', async () => {
    const calls: string[] = [];
    const results = await runChecks([check('a', async () => Promise.reject(new TypeError('boom'))), check('b'), check('c')], {
      setup: (one, clock) => (calls.push(`setup ${one.id}`), { clock }),
      teardown: (_context, one) => void calls.push(`teardown ${one.id}`),
      onStart: (one) => void calls.push(`start ${one.id}`),
      skipReason: (one) => (one.id === 'c' ? 'stopped' : null),
    });
    expect(calls).toEqual(['start a', 'setup a', 'teardown a', 'start b', 'setup b', 'teardown b']);
    expect(results.map((result) => [result.id, result.passed, result.skipped ?? result.message ?? null])).toEqual([
      ['a', false, 'The store threw: TypeError: boom'],
      ['b', true, null],
      ['c', false, 'stopped'],
    ]);
  });

  it('rejects duplicate ids and unknown ids in only and skip', async () => {
    const setup = (): Record<string, never> => ({});
    await expect(runChecks([check('x'), check('x')], { setup } as never)).rejects.toThrow(/two checks have the id "x"/);
    await expect(runChecks([check('x')], { setup, only: ['y'] } as never)).rejects.toThrow(/runChecks: no check has the id "y"\. Known ids: x\./);
  });
});
