/**
 * A check's level travels through the check engine unchanged: from the conformance suite, through an
 * exercise's `conformance(...)` checks and the site's runner, over the checks worker's protocol.
 * And a conformance check run as an exercise check runs on the check's own clock.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from 'sessionlab';
import { readFromChecks } from '../../src/checks/check-protocol.ts';
import { conformance } from '../../src/checks/conformance-checks.ts';
import { runChecks } from '../../src/checks/run-checks.ts';

const RUN = 'run-1';
const result = { id: 'create-get', title: 'create then get', passed: true, hint: 'Keep what create() was given.', durationMs: 3 };

describe('a check’s level', () => {
  it('comes with every conformance check an exercise reuses, and with its result', async () => {
    const checks = conformance('create-get', 'clean-unreadable-expiry');
    expect(checks.map((check) => check.level)).toEqual(['required', 'recommended']);
    const results = await runChecks({ checks, createStore: () => new MemoryStore() });
    expect(results.map(({ id, level }) => ({ id, level }))).toEqual([
      { id: 'create-get', level: 'required' },
      { id: 'clean-unreadable-expiry', level: 'recommended' },
    ]);
  });

  it('is read from the checks worker when it is one of the levels, and refuses the message otherwise', () => {
    expect(readFromChecks({ run: RUN, type: 'result', result: { ...result, level: 'required' } }, RUN)).toEqual({ run: RUN, type: 'result', result: { ...result, level: 'required' } });
    expect(readFromChecks({ run: RUN, type: 'result', result }, RUN)).toEqual({ run: RUN, type: 'result', result });
    for (const level of ['optional', '', 1, null]) expect(readFromChecks({ run: RUN, type: 'result', result: { ...result, level } }, RUN), String(level)).toBeNull();
  });
});

describe('a conformance check run as an exercise check', () => {
  it('runs on the check’s own clock, the one the exercise’s context hands out', async () => {
    const [clean] = conformance('clean-removes-expired');
    let asked = 0;
    const [verdict] = await runChecks({
      checks: [
        {
          ...clean!,
          run: (context) =>
            clean!.run({
              ...context,
              get clock() {
                asked++;
                return context.clock;
              },
            }),
        },
      ],
      createStore: () => new MemoryStore(),
    });
    expect(verdict?.passed).toBe(true);
    expect(asked).toBe(1);
  });
});
