/**
 * "Sign out everywhere" racing an attacker with stolen cookies: the scenario the revoke-race tests
 * run against each store.
 */
import { CookieClient } from '../support/harness.ts';
import type { Session } from 'sessionlab';

/** One turn of the event loop (a macrotask, so a networked store's answers can arrive meanwhile). Node and browsers alike. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * `cookies` stolen sessions of one user; each attacker regenerates its session back to back
 * (`rounds` times, or until its session is gone) while the user signs out everywhere.
 * Resolves to how many stolen sessions still work afterwards.
 */
export async function raceRevokeAgainstRegenerate(session: Session, options: { cookies: number; rounds: number; startAfter: number }): Promise<number> {
  const attackers = Array.from({ length: options.cookies }, () => new CookieClient());
  for (const attacker of attackers) await attacker.visit(session, (handle) => handle.login('ada'));
  const attack = async (attacker: CookieClient): Promise<void> => {
    for (let round = 0; round < options.rounds; round++) {
      const { result: alive } = await attacker.visit(session, async (handle) => {
        if (!handle.isAuthenticated()) return false;
        await handle.regenerate();
        return true;
      });
      if (!alive) return;
    }
  };
  const revoke = async (): Promise<void> => {
    for (let i = 0; i < options.startAfter; i++) await turn();
    await session.revokeAll('ada');
  };
  await Promise.all([...attackers.map(attack), revoke()]);
  let survivors = 0;
  for (const attacker of attackers) {
    if ((await attacker.visit(session, (handle) => handle.isAuthenticated())).result) survivors++;
  }
  return survivors;
}

