import { describe, expect, it } from 'vitest';
import { Session, SessionConfigError } from 'sessionlab';
import { SECRET } from '../support/harness.ts';

// The cookie lives exactly as long as the session, so a lifetime of its own would contradict
// sessionDuration: both of the cookie package's lifetime options are refused at construction.
describe('a cookie lifetime given as a cookie option', () => {
  it.each([
    ['maxAge', 1000],
    ['expires', new Date('2027-01-01T00:00:00Z')],
  ])('cookie.%s is refused with a SessionConfigError that points to sessionDuration', (key, value) => {
    const construct = (): Session => new Session({ secret: SECRET, cookie: { [key]: value } } as never);
    expect(construct).toThrow(SessionConfigError);
    expect(construct).toThrow(new RegExp(`cookie\\.${key} is not an option`));
  });
});
