/**
 * The one check runner, runChecks: what each result holds, what setup, teardown and the callbacks
 * see, and what a failing setup or teardown does to a verdict. (conformance.test.ts has the first
 * of these; these pin the rest.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckFailure, NotOffered, runChecks, type Check, type CheckResult } from 'sessionlab/conformance';

type Context = { value: number };
const check = (id: string, run: Check<Context>['run'] = async () => {}): Check<Context> => ({ id, title: `check ${id}`, hint: `hint ${id}`, level: 'required', run });

describe('runChecks', () => {
  it('gives a passing check a result with its id, title, level, hint and a duration, and no message', async () => {
    const [result] = await runChecks([check('a')], { setup: () => ({ value: 1 }) });
    expect(result).toEqual({ id: 'a', title: 'check a', level: 'required', hint: 'hint a', passed: true, durationMs: expect.any(Number) });
    expect(result!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('gives a skipped check its reason and no duration, and never sets it up', async () => {
    let setups = 0;
    const results = await runChecks([check('a'), check('b')], {
      setup: () => (setups++, { value: 1 }),
      skip: { a: 'too slow here' },
    });
    expect(results[0]).toEqual({ id: 'a', title: 'check a', level: 'required', hint: 'hint a', passed: false, skipped: 'too slow here', durationMs: 0 });
    expect(setups).toBe(1);
  });

  it('runs only the checks named in only, in the order of the list', async () => {
    const results = await runChecks([check('a'), check('b'), check('c')], { setup: () => ({ value: 1 }), only: ['c', 'a'] });
    expect(results.map((result) => result.id)).toEqual(['a', 'c']);
  });

  it('hands each check what setup made for it, and calls onResult with each result as it comes', async () => {
    const seen: number[] = [];
    const reported: CheckResult[] = [];
    let next = 0;
    const results = await runChecks([check('a', async ({ value }) => void seen.push(value)), check('b', async ({ value }) => void seen.push(value))], {
      setup: () => ({ value: ++next }),
      onResult: (result) => void reported.push(result),
    });
    expect(seen).toEqual([1, 2]);
    expect(reported).toEqual(results);
  });

  it('fails a check whose setup throws, with setup\'s message, and tears nothing down', async () => {
    const tornDown: string[] = [];
    const results = await runChecks([check('a'), check('b')], {
      setup: (one) => {
        if (one.id === 'a') throw new CheckFailure('Could not open the database.');
        return { value: 1 };
      },
      teardown: (_context, one) => void tornDown.push(one.id),
    });
    expect(results.map(({ passed, message }) => ({ passed, message }))).toEqual([{ passed: false, message: 'Could not open the database.' }, { passed: true, message: undefined }]);
    expect(tornDown).toEqual(['b']);
  });

  it('keeps a verdict when teardown throws or rejects', async () => {
    const results = await runChecks([check('a'), check('b', async () => Promise.reject(new CheckFailure('wrong')))], {
      setup: () => ({ value: 1 }),
      teardown: async (_context, one) => {
        if (one.id === 'a') throw new Error('could not close');
        return Promise.reject(new Error('could not close either'));
      },
    });
    expect(results.map(({ passed, message }) => ({ passed, message }))).toEqual([{ passed: true, message: undefined }, { passed: false, message: 'wrong' }]);
  });

  it('says what the check threw when it is not a failure: a store error, a string, an optional method a required check needs', async () => {
    const results = await runChecks(
      [
        check('a', async () => Promise.reject(new Error('disk full'))),
        check('b', async () => Promise.reject('nope')),
        check('c', async () => Promise.reject(new NotOffered('touch', 'The store has no touch(): nothing moves the expiry.'))),
      ],
      { setup: () => ({ value: 1 }) },
    );
    expect(results.map(({ passed, message, skipped }) => ({ passed, message, skipped }))).toEqual([
      { passed: false, message: 'The store threw: Error: disk full', skipped: undefined },
      { passed: false, message: expect.stringMatching(/^The store threw: .*nope/), skipped: undefined },
      { passed: false, message: 'The store has no touch(): nothing moves the expiry.', skipped: undefined },
    ]);
  });

  it('names itself in the errors for ids, as the caller asks', async () => {
    const setup = (): Context => ({ value: 1 });
    await expect(runChecks([check('x')], { setup, skip: { y: 'no' }, name: 'myChecks' })).rejects.toThrow('myChecks: no check has the id "y". Known ids: x.');
    await expect(runChecks([check('x'), check('x')], { setup, name: 'myChecks' })).rejects.toThrow('myChecks: two checks have the id "x"; ids must be unique.');
  });

  describe('when it is done', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('leaves no deadline timer behind, so a process can exit as soon as the checks are over', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const results = await runChecks([check('a'), check('b', async () => Promise.reject(new CheckFailure('wrong')))], { setup: () => ({ value: 1 }) });
      expect(results.map((result) => result.passed)).toEqual([true, false]);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('measures a check\'s duration from its start to its end', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      vi.advanceTimersByTime(5_000);
      const [result] = await runChecks([check('a', async () => void vi.advanceTimersByTime(250))], { setup: () => ({ value: 1 }) });
      expect(result!.durationMs).toBe(250);
    });

    it('says how long it waited for an answer: milliseconds below a second, seconds from one second on', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const messages: Array<string | undefined> = [];
      for (const timeoutMs of [999, 1_000, 1_500]) {
        const running = runChecks([check('a', () => new Promise<void>(() => {}))], { setup: () => ({ value: 1 }), timeoutMs });
        await vi.advanceTimersByTimeAsync(timeoutMs);
        const [result] = await running;
        expect(result!.timedOut).toBe(true);
        messages.push(result!.message?.match(/^No answer within ([^:]+):/)?.[1]);
      }
      expect(messages).toEqual(['999 ms', '1 s', '1.5 s']);
    });
  });
});
