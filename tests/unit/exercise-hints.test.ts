/**
 * A hint is read next to the reader's own store: it must speak of the store the exercise builds.
 * A check shared by a Map exercise and an IndexedDB exercise words its advice for each.
 */
import { describe, expect, it } from 'vitest';
import type { ExerciseCheck } from '../../src/checks/exercise-check.ts';
import { checks as fluidAuthChecks } from '../../content/exercises/08-fix-a-fluidauth-store/checks.ts';
import { checks as cleanBoundariesChecks } from '../../content/exercises/03-clean-boundaries/checks.ts';
import { checks as indexedDBChecks } from '../../content/exercises/06-indexeddb-expiry-index/checks.ts';
import { checks as durableStoreChecks } from '../../content/exercises/10-capstone-durable-store/checks.ts';
import { checks as restartChecks } from '../../content/exercises/07-survive-a-restart/checks.ts';
import { checks as twoServersChecks } from '../../content/exercises/11-capstone-two-servers/checks.ts';

function hintOf(checks: readonly ExerciseCheck[], id: string): string {
  const check = checks.find((candidate) => candidate.id === id);
  if (!check) throw new Error(`no check ${id} in this exercise`);
  return check.hint;
}

describe('the clean-boundary hint', () => {
  describe('in an exercise whose store is a Map', () => {
    for (const [name, checks] of [['exercise 3 (clean boundaries)', cleanBoundariesChecks], ['exercise 8 (fix a FluidAuth store)', fluidAuthChecks]] as const) {
      it(`${name} says what to do with a Map and nothing about IndexedDB`, () => {
        const hint = hintOf(checks, 'clean-boundary');
        expect(hint).not.toMatch(/IndexedDB|IDBKeyRange|upperBound/);
        expect(hint).toMatch(/\bMap\b/);
        expect(hint).toContain('expiresAt <= now');
      });
    }
  });

  describe('in an exercise whose store is in IndexedDB', () => {
    for (const [name, checks] of [['exercise 6 (IndexedDB expiry index)', indexedDBChecks], ['exercise 10 (durable store)', durableStoreChecks]] as const) {
      it(`${name} keeps the key-range advice`, () => {
        const hint = hintOf(checks, 'clean-boundary');
        expect(hint).toContain('IDBKeyRange.upperBound(now) includes now; upperBound(now, true) does not');
        expect(hint).toContain('expiresAt <= now');
        expect(hint).not.toMatch(/\bMap\b/);
      });
    }
  });
});

describe('the hint for an unreadable expiry left by clean()', () => {
  describe('in an exercise whose store is a Map', () => {
    for (const [name, checks] of [['exercise 3 (clean boundaries)', cleanBoundariesChecks], ['exercise 8 (fix a FluidAuth store)', fluidAuthChecks]] as const) {
      it(`${name} says what to do with a Map and nothing about an IndexedDB index`, () => {
        const hint = hintOf(checks, 'clean-removes-unreadable');
        expect(hint).not.toMatch(/IndexedDB|\bindex\b|key range|-Infinity/i);
        expect(hint).toMatch(/\bMap\b/);
        expect(hint).toContain('Date.parse(expires) > now');
      });
    }
  });

  describe('in an exercise whose store is in IndexedDB', () => {
    for (const [name, checks] of [
      ['exercise 6 (IndexedDB expiry index)', indexedDBChecks],
      ['exercise 7 (survive a restart)', restartChecks],
      ['exercise 10 (durable store)', durableStoreChecks],
      ['exercise 11 (two servers)', twoServersChecks],
    ] as const) {
      it(`${name} keeps the advice on indexing a number`, () => {
        const hint = hintOf(checks, 'clean-removes-unreadable');
        expect(hint).toContain('with -Infinity when that is NaN');
        expect(hint).toContain('Date.parse(expires) > now');
        expect(hint).not.toMatch(/\bMap\b/);
      });
    }
  });
});
