/**
 * The verdicts of Node's `runConformance` on one list of stores (tests/support/engine-stores.ts): the
 * same, check for check, as the site's check engine gives in a browser
 * (tests/browser/engine-verdicts.test.ts). Both hold them to tests/fixtures/engine-verdicts.json.
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from 'sessionlab/conformance';
import { ENGINE_STORES, VERDICT_FILE, verdictFile, verdictsOf, type Verdict } from '../support/engine-stores.ts';


describe('runConformance in Node, on every store of the list', () => {
  it('gives the verdicts every other place the checks run gives', async () => {
    const verdicts: Record<string, Record<string, Verdict>> = {};
    for (const store of ENGINE_STORES) verdicts[store.name] = verdictsOf(await runConformance({ createStore: store.create }));
    await expect(verdictFile(verdicts)).toMatchFileSnapshot(VERDICT_FILE);
  }, 120_000);
});
