/**
 * `--slowdown=µs` of the benchmarks: a deliberate regression, to prove a benchmark notices one.
 * Every session load of the Session busy-waits `microseconds` first: CPU is spent, as a slower
 * library would spend it, not a sleep another case could use.
 */
import type { Session } from '../../src/session/index.ts';

export function slowDown<S extends Pick<Session, 'load'>>(session: S, microseconds: number): S {
  if (!(microseconds > 0)) return session;
  const load = session.load.bind(session);
  session.load = (request) => {
    const until = performance.now() + microseconds / 1000;
    while (performance.now() < until);
    return load(request);
  };
  return session;
}
