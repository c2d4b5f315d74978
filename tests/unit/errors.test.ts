/**
 * The errors Session Lab throws on purpose, and the words it finds for a thrown value: what an
 * application (or a tool that shows errors) can rely on in each.
 */
import { describe, expect, it } from 'vitest';
import { SessionConfigError, SessionStoreError, STORE_ERROR_REASONS, StoreError, describeError } from '../../src/session/errors.ts';

describe('SessionConfigError', () => {
  it('says what is wrong, then how to fix it, and keeps the hint apart', () => {
    const error = new SessionConfigError('The secret is too short.', 'Use at least 32 random bytes.');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('SessionConfigError');
    expect(error.message).toBe('The secret is too short. Use at least 32 random bytes.');
    expect(error.hint).toBe('Use at least 32 random bytes.');
  });
});

describe('SessionStoreError', () => {
  it('names the store method that failed, how it failed, and the detail, and keeps the cause', () => {
    const cause = new Error('connection refused');
    const error = new SessionStoreError('update', 'failed', 'Error: connection refused', { cause });
    expect(error.name).toBe('SessionStoreError');
    expect(error.method).toBe('update');
    expect(error.failure).toBe('failed');
    expect(error.cause).toBe(cause);
    expect(error.message).toMatch(/^Session store update\(\) failed: Error: connection refused$/);
  });

  it.each([
    ['timeout', /did not answer in time/],
    ['conflict', /conflicting with concurrent writes/],
    ['invalid-result', /not a session record/],
  ] as const)('words a %s failure in its message', (failure, words) => {
    const error = new SessionStoreError('get', failure, 'detail');
    expect(error.failure).toBe(failure);
    expect(error.message).toMatch(/^Session store get\(\) /);
    expect(error.message).toMatch(words);
    expect(error.message).toMatch(/: detail$/);
  });

  it.each([
    ['get', /returned something that is not a session record/],
    ['listByUser', /returned something that is not a list of session records/],
    ['clean', /returned something other than a count of removed sessions/],
    ['compareAndSet', /returned something other than true or false/],
    ['create', /returned something it may not/],
    ['update', /returned something it may not/],
    ['delete', /returned something it may not/],
  ] as const)('says what %s() answered instead of what it may answer', (method, words) => {
    expect(new SessionStoreError(method, 'invalid-result', 'detail').message).toMatch(words);
  });
});

describe('StoreError', () => {
  it('carries a reason from the shared list, the hint on its own, and the cause', () => {
    const cause = new Error('disk full');
    const error = new StoreError('quota-exceeded', 'The store refused to write.', 'Free some space.', { cause });
    expect(error.name).toBe('StoreError');
    expect(error.reason).toBe('quota-exceeded');
    expect(error.hint).toBe('Free some space.');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('The store refused to write. Free some space.');
  });

  it('ends its message with the problem when there is no hint: no trailing space', () => {
    expect(new StoreError('failed', 'The store failed.', '').message).toBe('The store failed.');
  });

  it('offers the one vocabulary of reasons, in a fixed order', () => {
    expect(STORE_ERROR_REASONS).toEqual(['duplicate-id', 'unavailable', 'read-only', 'locked', 'quota-exceeded', 'timeout', 'failed']);
  });
});

describe('describeError()', () => {
  it('words an error as its name and message', () => {
    expect(describeError(new TypeError('bad value'))).toBe('TypeError: bad value');
  });

  it.each([
    ['a string', 'boom', 'boom'],
    ['a number', 42, '42'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['an object with its own toString', { toString: () => 'custom' }, 'custom'],
  ])('words %s as the value as a string', (_what, thrown, words) => {
    expect(describeError(thrown)).toBe(words);
  });

  it('words an error as its name and message even when it turns itself into another string', () => {
    const error = Object.assign(new RangeError('out of range'), { toString: () => 'something else' });
    expect(describeError(error)).toBe('RangeError: out of range');
  });

  it('words an error-like object that is not an Error as the value as a string, not by its name and message', () => {
    expect(describeError({ name: 'Fake', message: 'not an Error', toString: () => 'plain object' })).toBe('plain object');
  });

  it('never throws, even for a value that cannot be turned into a string', () => {
    expect(describeError(Object.create(null))).toBe('[object Object]');
    expect(describeError({ toString: () => { throw new Error('no'); } })).toBe('[object Object]');
    expect(describeError(Symbol('s'))).toBe('Symbol(s)');
  });
});
