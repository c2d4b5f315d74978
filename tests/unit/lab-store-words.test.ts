import { describe, expect, it } from 'vitest';
import type { ReportedStore } from '../../src/sim/protocol.ts';
import { onStore, serverStateText, storePhrase } from '../../src/components/lab/lab-controls.ts';
import { LAB_STORES, storeChoice, storeLabel } from '../../src/components/lab/lab-scenarios.ts';

/** Every store the Lab can name: the ones it offers, the faulty ones, and a reader's from the playground (its class name, or "Your store"). */
const STORES: readonly ReportedStore[] = [
  ...LAB_STORES.map(storeChoice),
  { kind: 'faulty', fault: 'hang' },
  { kind: 'faulty', fault: 'throw' },
  { kind: 'module', label: 'Your store (run 3)' },
  { kind: 'module', label: 'MyStore (run 1)' },
  { kind: 'module', label: 'MemoryStore (run 2)', exportName: 'MemoryStore' },
];

describe('onStore', () => {
  it.each([
    [{ kind: 'indexeddb' }, 'on the IndexedDB store'],
    [{ kind: 'memory' }, 'on the Memory store'],
    [{ kind: 'memory', lastWriteWins: true }, 'on the last-write-wins Memory store'],
    [{ kind: 'indexeddb', lastWriteWins: true }, 'on the last-write-wins IndexedDB store'],
    [{ kind: 'faulty', fault: 'hang' }, 'on the Hanging store'],
    [{ kind: 'faulty', fault: 'throw' }, 'on the Faulty store (throws)'],
    [{ kind: 'module', label: 'Your store (run 3)' }, 'on Your store (run 3)'],
    [{ kind: 'module', label: 'MyStore (run 1)' }, 'on MyStore (run 1)'],
  ] satisfies [ReportedStore, string][])('words %o as "%s"', (store, words) => {
    expect(onStore(store)).toBe(words);
  });

  it('says "store" once for every store the Lab can name, never after a label that already says it', () => {
    for (const store of STORES) {
      const words = onStore(store);
      expect(words.match(/store/gi), `${storeLabel(store)}: "${words}"`).toHaveLength(1);
      expect(words, storeLabel(store)).not.toMatch(/\) store|, last write wins store/i);
    }
  });

  it('ends a sentence on "store" for each store the Lab offers, as its status line reads', () => {
    for (const store of LAB_STORES) expect(`Server running ${onStore(storeChoice(store))}.`).toMatch(/^Server running on the .+ store\.$/);
  });

  it('is the phrase after "on"', () => {
    for (const store of STORES) expect(onStore(store)).toBe(`on ${storePhrase(store)}`);
  });
});

describe('serverStateText', () => {
  const memory: ReportedStore = { kind: 'memory' };
  const mine: ReportedStore = { kind: 'module', label: 'MyStore (run 1)' };
  const broken: ReportedStore = { kind: 'module', label: 'Your store (run 3)' };

  it('names the store a server started or restarted on', () => {
    expect(serverStateText('started', { kind: 'indexeddb' }, { kind: 'indexeddb' })).toBe('Running on the IndexedDB store.');
    expect(serverStateText('restarted', mine, mine)).toBe('Running on MyStore (run 1).');
  });

  it('says a request timed out, on which store', () => {
    expect(serverStateText('timeout', { kind: 'faulty', fault: 'hang' }, { kind: 'faulty', fault: 'hang' })).toBe('A request timed out on the Hanging store.');
  });

  it('says the running store crashed when the crash is its own', () => {
    expect(serverStateText('crashed', mine, mine)).toBe('Crashed on MyStore (run 1).');
  });

  describe('when another store failed to load', () => {
    it('says the server still runs the store it had, and which one did not start', () => {
      expect(serverStateText('crashed', broken, mine)).toBe('Still running on MyStore (run 1): Your store (run 3) did not start.');
      expect(serverStateText('crashed', broken, memory)).toBe('Still running on the Memory store: Your store (run 3) did not start.');
    });

    it('tells a reader’s earlier run from a later one of the same class', () => {
      expect(serverStateText('crashed', { kind: 'module', label: 'MyStore (run 2)' }, mine)).toMatch(/^Still running on MyStore \(run 1\): MyStore \(run 2\) did not start\.$/);
    });

    it('tells a Lab store from its last-write-wins form', () => {
      expect(serverStateText('crashed', { kind: 'memory', lastWriteWins: true }, memory)).toMatch(/^Still running on the Memory store:/);
    });
  });
});
