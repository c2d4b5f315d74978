/**
 * The expiry checks of the conformance suite, each against a store broken in a way only that check
 * sees, and against correct stores that answer in ways the suite must accept: a backend that expires
 * records itself, a get() that answers undefined for a missing record.
 */
import { describe, expect, it } from 'vitest';
import { type SessionRecord } from 'sessionlab';
import { runConformance, type AnyStore } from 'sessionlab/conformance';
import { FluidAuthDocsStore } from '../fixtures/fluidauth-docs-store.js';
import { LazyMapStore, WRONG_STORES } from '../fixtures/wrong-stores.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const EXPIRY_CHECKS = ['clean-removes-expired', 'clean-keeps-live', 'clean-compares-instants', 'update-moves-expiry'];

async function verdict(id: string, createStore: () => AnyStore) {
  const [result] = await runConformance({ createStore, only: [id] });
  return result!;
}

/** Real time, which the suite never moves: what a database server's clock reads. */
function realNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * A store over a backend that drops each record at its expiry on its own clock, as Redis does with
 * PXAT: a record whose expiry has passed in real time is gone from every read, and clean() has
 * nothing left to do. get() also hides records expired by the clock the store sees.
 */
class SelfExpiringStore extends LazyMapStore {
  static readonly expiresRecordsItself = true;

  #live(sessionId: string): SessionRecord | undefined {
    const record = this.db.get(sessionId);
    if (record && !(Date.parse(record.expires) > realNow())) this.db.delete(sessionId);
    return this.db.get(sessionId);
  }

  override get(sessionId: string): SessionRecord | null {
    this.#live(sessionId);
    return super.get(sessionId);
  }

  override update(sessionId: string, record: SessionRecord): void {
    if (this.#live(sessionId)) super.update(sessionId, record);
  }

  override clean(): number {
    return 0;
  }

  override all(): SessionRecord[] {
    return [...this.db.keys()].flatMap((id) => this.#live(id) ?? []).map((record) => structuredClone(record));
  }
}

describe('the expiry checks, against a backend that expires records itself', () => {
  it('pass a backend that drops each record at its expiry, by its own clock', async () => {
    const results = await runConformance({ createStore: () => new SelfExpiringStore(), only: EXPIRY_CHECKS });
    expect(results.map(({ id, passed, message }) => ({ id, passed, message }))).toEqual(EXPIRY_CHECKS.map((id) => ({ id, passed: true, message: undefined })));
  });

  it('fail clean-keeps-live when its clean() removes sessions that are still live', async () => {
    class CleansEverything extends SelfExpiringStore {
      override clean(): number {
        const removed = this.db.size;
        this.db.clear();
        return removed;
      }
    }
    const result = await verdict('clean-keeps-live', () => new CleansEverything());
    expect(result).toMatchObject({ passed: false, message: expect.stringMatching(/^get\(\) of a session expiring in 1 minute, after clean\(\) returned null, expected the record/) });
  });
});

describe('the clean() checks, against a clean() that only hides what it should remove', () => {
  /** clean() marks expired records removed, and get() hides them; all() still lists them. */
  class CleanLeavesTombstones extends LazyMapStore {
    readonly removed = new Set<string>();
    override get(sessionId: string): SessionRecord | null {
      return this.removed.has(sessionId) ? null : super.get(sessionId);
    }
    override clean(): number {
      const expired = [...this.db.values()].filter((record) => this.isExpired(record) && !this.removed.has(record.sessionId));
      for (const record of expired) this.removed.add(record.sessionId);
      return expired.length;
    }
    override all(): SessionRecord[] {
      return [...this.db.values()].map((record) => structuredClone(record));
    }
  }

  it('fail clean-removes-expired when all() still lists what clean() hid', async () => {
    const result = await verdict('clean-removes-expired', () => new CleanLeavesTombstones());
    expect(result).toMatchObject({ passed: false, message: expect.stringMatching(/^all\(\) after clean\(\) still lists \[.*: the store still holds them\.$/) });
  });

  it('fail clean-compares-instants the same way, for the one session that expired', async () => {
    const result = await verdict('clean-compares-instants', () => new CleanLeavesTombstones());
    expect(result).toMatchObject({ passed: false, message: expect.stringMatching(/^all\(\) after clean\(\) still lists \[.*: the store still holds it\.$/) });
  });

  it('fail update-moves-expiry when the session update() cut short is only hidden', async () => {
    const result = await verdict('update-moves-expiry', () => new CleanLeavesTombstones());
    expect(result).toMatchObject({ passed: false, message: expect.stringMatching(/^all\(\) after clean\(\) an hour past the expiry update\(\) had cut a session to still lists/) });
  });
});

describe('the clean-keeps-live check, looking through all()', () => {
  it('fails a clean() that drops live sessions from the listing all() reads', async () => {
    /** all() reads an index of ids; clean() empties the index along with the expired records. */
    class CleanEmptiesTheListing extends LazyMapStore {
      readonly listed = new Set<string>();
      override create(record: SessionRecord): void {
        super.create(record);
        this.listed.add(record.sessionId);
      }
      override clean(): number {
        this.listed.clear();
        return super.clean();
      }
      override all(): SessionRecord[] {
        return [...this.listed].flatMap((id) => this.db.get(id) ?? []).map((record) => structuredClone(record));
      }
    }
    const result = await verdict('clean-keeps-live', () => new CleanEmptiesTheListing());
    expect(result).toMatchObject({ passed: false, message: expect.stringMatching(/^all\(\) after clean\(\), for a live session, returned undefined, expected the record/) });
  });

  it('fails an all() that answers something other than a list, saying what it answered', async () => {
    class AllAnswersAnObject extends LazyMapStore {
      override all(): SessionRecord[] {
        return Object.fromEntries(this.db) as unknown as SessionRecord[];
      }
    }
    for (const id of ['clean-keeps-live', 'clean-removes-expired']) {
      const result = await verdict(id, () => new AllAnswersAnObject());
      expect(result, id).toMatchObject({ passed: false, message: expect.stringMatching(/^all\(\) returned \{.*, expected an array of records\.$/) });
    }
  });
});

describe('the expiry checks, against a get() that answers undefined for a missing record', () => {
  class AnswersUndefined extends LazyMapStore {
    override get(sessionId: string): SessionRecord | null {
      return super.get(sessionId) ?? (undefined as unknown as null);
    }
  }

  it('pass it: undefined is no record, as null is', async () => {
    const results = await runConformance({ createStore: () => new AnswersUndefined(), only: [...EXPIRY_CHECKS, 'get-expired', 'clean-unreadable-expiry'] });
    expect(results.filter((result) => !result.passed)).toEqual([]);
  });
});

describe('the clean-keeps-live check, against a clean() that also removes some live sessions', () => {
  /** A correct clean() that also removes the live sessions whose time left `removes` picks. */
  function alsoRemoving(removes: (left: number) => boolean): () => AnyStore {
    class AlsoRemovesLive extends LazyMapStore {
      override clean(): number {
        let removed = super.clean();
        for (const [id, record] of this.db) {
          if (removes(Date.parse(record.expires) - Date.now())) {
            this.db.delete(id);
            removed++;
          }
        }
        return removed;
      }
    }
    return () => new AlsoRemovesLive();
  }

  const cases: Array<[string, (left: number) => boolean, string]> = [
    ['a second', (left) => left <= SECOND, 'in 1 second'],
    ['a minute', (left) => left > SECOND && left <= MINUTE, 'in 1 minute'],
    ['an hour', (left) => left > MINUTE && left <= HOUR, 'in 1 hour'],
    ['thirty days', (left) => left > HOUR, 'in 30 days'],
  ];
  for (const [lead, removes, named] of cases) {
    it(`fails one that removes sessions with ${lead} left, naming how long it had`, async () => {
      const result = await verdict('clean-keeps-live', alsoRemoving(removes));
      expect(result.message).toMatch(new RegExp(`^get\\(\\) of a session expiring ${named}, after clean\\(\\) returned null, expected the record`));
    });
  }
});

describe('the clean-removes-expired check, against a clean() with a grace period', () => {
  it('counts every session a day and a half of grace leaves: the ones that expired a day and a millisecond before', async () => {
    class CleansWithADayAndAHalfOfGrace extends LazyMapStore {
      protected override isExpired(record: SessionRecord): boolean {
        return Date.parse(record.expires) < Date.now() - 36 * HOUR;
      }
    }
    const result = await verdict('clean-removes-expired', () => new CleansWithADayAndAHalfOfGrace());
    expect(result.message).toMatch(/^clean\(\) left 2 of 6 expired sessions in the store/);
  });
});

describe('the clean-compares-instants check, against a clean() that compares expiry strings', () => {
  it('fails it on the live session first, whose expiry is written -12:00', async () => {
    const wrong = WRONG_STORES.find((store) => store.name === 'a clean() that compares expiry strings')!;
    const result = await verdict('clean-compares-instants', wrong.create);
    expect(result.message).toMatch(/^get\(\) of a session expiring in an hour \(expires "[^"]+-12:00"\), after clean\(\) returned null/);
  });

  it('fails it also when the store writes every expiry in UTC, but its clean() compares the strings as given', async () => {
    /** Answers expires in UTC, yet clean() compares the text it was given with now's ISO string. */
    class AnswersUtcComparesStrings extends LazyMapStore {
      readonly written = new Map<string, string>();
      override create(record: SessionRecord): void {
        super.create({ ...record, expires: new Date(Date.parse(record.expires)).toISOString() });
        this.written.set(record.sessionId, record.expires);
      }
      protected override isExpired(record: SessionRecord): boolean {
        return (this.written.get(record.sessionId) ?? record.expires) <= new Date().toISOString();
      }
    }
    const result = await verdict('clean-compares-instants', () => new AnswersUtcComparesStrings());
    expect(result).toMatchObject({ passed: false, message: expect.stringMatching(/^get\(\) of a session expiring in an hour \(expires "[^"]+-12:00"\), after clean\(\) returned null/) });
  });
});

describe('the clean-compares-instants check, against a store that answers expires written another way', () => {
  /** Keeps the expiry as an instant (as a timestamptz column does) and answers it in UTC. */
  class AnswersExpiryInUtc extends LazyMapStore {
    override create(record: SessionRecord): void {
      super.create({ ...record, expires: toUtc(record.expires) });
    }
    override update(sessionId: string, record: SessionRecord): void {
      super.update(sessionId, { ...record, expires: toUtc(record.expires) });
    }
  }

  /** The same instant in UTC; an expiry that is not a date stays as it was given. */
  function toUtc(expires: string): string {
    const at = Date.parse(expires);
    return Number.isNaN(at) ? expires : new Date(at).toISOString();
  }

  it('passes a store that answers the same instant in UTC', async () => {
    const result = await verdict('clean-compares-instants', () => new AnswersExpiryInUtc());
    expect(result).toMatchObject({ passed: true });
    expect(result.message).toBeUndefined();
  });

  it('fails a store that answers the wall time it was given as if it were UTC, naming expires and both instants', async () => {
    /** Drops the offset on the way out: "…T09:00:00.000-12:00" comes back as "…T09:00:00.000Z", twelve hours earlier. */
    class DropsTheOffset extends LazyMapStore {
      override get(sessionId: string): SessionRecord | null {
        const record = super.get(sessionId);
        return record && { ...record, expires: `${record.expires.slice(0, 23)}Z` };
      }
    }
    const result = await verdict('clean-compares-instants', () => new DropsTheOffset());
    expect(result).toMatchObject({ passed: false });
    expect(result.message).toMatch(/^get\(\) of a session expiring in an hour \(expires "[^"]+-12:00"\), after clean\(\) returned \{/);
    expect(result.message).toMatch(/What differs: field expires: expected "[^"]+-12:00", got "[^"]+Z"\. expires may come back written with another UTC offset, but it must be the same instant: expected \S+Z, got \S+Z, another instant\.$/);
  });

  it('fails a store that answers expires as a number, saying it is not an ISO 8601 string', async () => {
    class AnswersANumber extends LazyMapStore {
      override get(sessionId: string): SessionRecord | null {
        const record = super.get(sessionId);
        return record && ({ ...record, expires: Date.parse(record.expires) } as unknown as SessionRecord);
      }
    }
    const result = await verdict('clean-compares-instants', () => new AnswersANumber());
    expect(result).toMatchObject({ passed: false });
    expect(result.message).toMatch(/What differs: field expires: expected "[^"]+-12:00", got \d+\. expires may come back written with another UTC offset, but it must be the same instant: expected \S+Z, got \d+, not an ISO 8601 string\.$/);
  });

  it('still fails it when another field differs, naming that field and not expires', async () => {
    class ForgetsTheDevice extends AnswersExpiryInUtc {
      override get(sessionId: string): SessionRecord | null {
        const record = super.get(sessionId);
        if (!record) return null;
        const { device: _device, ...rest } = record;
        return rest as SessionRecord;
      }
    }
    const result = await verdict('clean-compares-instants', () => new ForgetsTheDevice());
    expect(result).toMatchObject({ passed: false });
    expect(result.message).toMatch(/ What differs: missing field device\.$/);
  });
});

describe('the update-moves-expiry check, against an expiry index update() only moves later', () => {
  it('fails it: the session update() cut short outlives its new expiry', async () => {
    class IndexOnlyMovesLater extends LazyMapStore {
      readonly expiries = new Map<string, number>();
      override create(record: SessionRecord): void {
        super.create(record);
        this.expiries.set(record.sessionId, Date.parse(record.expires));
      }
      override update(sessionId: string, record: SessionRecord): void {
        super.update(sessionId, record);
        this.expiries.set(sessionId, Math.max(this.expiries.get(sessionId) ?? 0, Date.parse(record.expires)));
      }
      override clean(): number {
        let removed = 0;
        for (const [id, at] of this.expiries) {
          if (!(at > Date.now()) && this.db.delete(id)) removed++;
        }
        return removed;
      }
    }
    const result = await verdict('update-moves-expiry', () => new IndexOnlyMovesLater());
    expect(result.message).toMatch(/^clean\(\) an hour past the expiry update\(\) had cut a session to left 1 of 1 expired sessions/);
  });
});

describe('the recommended expiry checks, saying which call answered', () => {
  it('get-expired names the get() of a session that expired a second ago', async () => {
    const result = await verdict('get-expired', () => new FluidAuthDocsStore());
    expect(result.message).toMatch(/^get\(\) of a session that expired a second ago returned \{/);
  });

  it('clean-unreadable-expiry fails a clean() that compares with <, behind a get() that hides unreadable and expired sessions', async () => {
    /** FluidAuth's docs store with get() fixed and clean() not: NaN < now is false, so clean() keeps the record. */
    class CleansWithLessThan extends LazyMapStore {
      protected override isExpired(record: SessionRecord): boolean {
        return Date.parse(record.expires) < Date.now();
      }
    }
    const result = await verdict('clean-unreadable-expiry', () => new CleansWithLessThan());
    expect(result.message).toMatch(/^get\(\) after clean\(\) and then an update\(\) that gave the session with expires "not a date" a readable expiry \(clean\(\) kept it, or update\(\) wrote an id that was not there\) returned \{.*, expected null: A get\(\) that hides such a record does not free it: clean\(\) must remove it\.$/);
  });

  it('clean-unreadable-expiry fails a store that sets such sessions aside where only all() sees them', async () => {
    class SetsUnreadableAside extends LazyMapStore {
      readonly aside = new Map<string, SessionRecord>();
      override create(record: SessionRecord): void {
        if (Number.isNaN(Date.parse(record.expires))) this.aside.set(record.sessionId, structuredClone(record));
        else super.create(record);
      }
      override all(): SessionRecord[] {
        return [...this.db.values(), ...this.aside.values()].map((record) => structuredClone(record));
      }
    }
    const result = await verdict('clean-unreadable-expiry', () => new SetsUnreadableAside());
    expect(result.message).toMatch(/^all\(\) after clean\(\), for the session with expires "not a date", still lists \[/);
  });
});

describe('each check judges its own promise', () => {
  it('an all() that lists null among the records passes clean-keeps-live, and fails all-records', async () => {
    class ListsANull extends LazyMapStore {
      override all(): SessionRecord[] {
        return [null as unknown as SessionRecord, ...[...this.db.values()].map((record) => structuredClone(record))];
      }
    }
    const results = await runConformance({ createStore: () => new ListsANull(), only: ['clean-keeps-live', 'all-records'] });
    expect(results.map(({ id, passed }) => ({ id, passed }))).toEqual([
      { id: 'clean-keeps-live', passed: true },
      { id: 'all-records', passed: false },
    ]);
  });
});
