/**
 * The compatibility table cannot drift from what the stores do: this re-runs the compatibility run
 * (the conformance suite through ConnectStoreBridge, on real Redis and PostgreSQL servers it starts)
 * and compares each store's verdicts — which checks pass, which fail — and the installed versions
 * with the committed tests/compat/results.json, from which the docs page renders the table.
 *
 * When it fails after a deliberate change (a store upgraded, a check added, the bridge improved):
 * run `npm run compat` (node tests/compat/run.ts) and commit the new results.json.
 *
 * Two verdicts rest on Redis's own clock, which counts whole seconds: connect-redis keeps a session
 * that expires in 40 ms for a second, and one that expires in a second for just that long. A machine
 * that stalls for more than a second in the middle of such a check would see them differently.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCompat, verdicts, type CompatReport } from '../compat/compat-run.ts';
import { SUBJECTS, installedVersion } from '../compat/subjects.ts';

const committed = JSON.parse(readFileSync(new URL('../compat/results.json', import.meta.url), 'utf8')) as CompatReport;
const REGENERATE = 'The committed table no longer matches a fresh run: run `npm run compat` and commit tests/compat/results.json.';

let fresh: CompatReport;
beforeAll(async () => {
  fresh = await runCompat();
}, 600_000);

describe('the committed compatibility table (tests/compat/results.json)', () => {
  it('covers every store of the run, in its order', () => {
    expect(committed.stores.map((store) => store.id), REGENERATE).toEqual(SUBJECTS.map((subject) => subject.id));
  });

  it('says when and on what it was made', () => {
    expect(Number.isNaN(Date.parse(committed.date))).toBe(false);
    expect(committed.node).toMatch(/^v\d+\.\d+\.\d+$/);
    expect(committed.expressSession, REGENERATE).toBe(installedVersion('express-session'));
  });

  for (const subject of SUBJECTS) {
    describe(subject.id, () => {
      it('was made with the installed version of the package', () => {
        const row = committed.stores.find((store) => store.id === subject.id);
        expect(row?.version, REGENERATE).toBe(installedVersion(subject.package));
      });

      it('has the verdicts of a fresh run, check for check', () => {
        expect(verdicts(committed)[subject.id], REGENERATE).toEqual(verdicts(fresh)[subject.id]);
      });

      it('explains every failure it records', () => {
        const row = committed.stores.find((store) => store.id === subject.id);
        const unexplained = row?.checks.filter((check) => !check.passed && !check.message) ?? [];
        expect(unexplained.map((check) => check.id)).toEqual([]);
      });
    });
  }
});
