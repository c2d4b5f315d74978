/**
 * How IndexedDBStore classifies the browser's errors: by the error's name (read by shape, since a
 * DOMException may come from another realm), into a `code` of its own and the `reason` every store
 * shares. Pure functions, so they run in Node with Node's DOMException; the browser's own failures
 * (a full quota, a deleted database, a blocked upgrade) are tested in Chromium in
 * tests/browser/indexeddb-store.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { StoreError } from 'sessionlab';
import { IndexedDBStoreError, blocked, noIndexedDB, openFailure, operationFailure, unavailable } from '../../src/session/stores/indexeddb-errors.ts';
import { SCHEMA_VERSION } from '../../src/session/stores/indexeddb-schema.ts';

describe('IndexedDBStoreError', () => {
  it.each([
    ['unavailable', 'unavailable'],
    ['blocked', 'locked'],
    ['newer-version', 'unavailable'],
    ['quota-exceeded', 'quota-exceeded'],
    ['database-deleted', 'unavailable'],
    ['duplicate-id', 'duplicate-id'],
    ['failed', 'failed'],
  ] as const)('code %s is reason "%s", a StoreError named IndexedDBStoreError', (code, reason) => {
    const error = new IndexedDBStoreError(code, 'It broke.', 'Do this.');
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code, reason, name: 'IndexedDBStoreError', hint: 'Do this.' });
  });
});

describe('operationFailure(), by the name of the browser\'s error', () => {
  it.each([
    ['QuotaExceededError', 'quota-exceeded', 'quota-exceeded', /navigator\.storage\.persist\(\)/],
    ['ConstraintError', 'duplicate-id', 'duplicate-id', /^Use update\(\) to change it\.$/],
    ['AbortError', 'database-deleted', 'unavailable', /^Retry: the next call opens the database again/],
    ['DataCloneError', 'failed', 'failed', /^Records must be plain, JSON-safe objects\.$/],
    ['UnknownError', 'failed', 'failed', /clearing the site data resets it/],
  ] as const)('%s is code %s (reason %s), with its hint and the error as cause', (name, code, reason, hint) => {
    const cause = new DOMException('the browser said no', name);
    const error = operationFailure('app', 'create', cause);
    expect(error).toMatchObject({ code, reason, cause, hint: expect.stringMatching(hint) });
    expect(error.message.startsWith('IndexedDBStore.create() on database "app" ')).toBe(true);
  });

  it('reads the name by shape: an error from another realm, a plain object with the name, counts', () => {
    expect(operationFailure('app', 'update', { name: 'QuotaExceededError', message: 'full' })).toMatchObject({ code: 'quota-exceeded' });
  });

  it('a name that is not a string is no name', () => {
    const error = operationFailure('app', 'get', { name: 5, toString: () => 'odd thing' });
    expect(error).toMatchObject({ code: 'failed' });
    expect(error.message).toContain('failed: odd thing.');
  });

  it('words the cause as "Name: message", the name alone when the message is empty, or the value itself', () => {
    expect(operationFailure('app', 'get', new DOMException('disk broke', 'UnknownError')).message).toContain('failed: UnknownError: disk broke.');
    expect(operationFailure('app', 'get', new DOMException('', 'UnknownError')).message).toContain('failed: UnknownError.');
    expect(operationFailure('app', 'get', { name: 'UnknownError', message: 7 }).message).toContain('failed: UnknownError.');
    expect(operationFailure('app', 'get', 'a string').message).toContain('failed: a string.');
    expect(operationFailure('app', 'get', null).message).toContain('failed: null.');
    expect(operationFailure('app', 'get', undefined)).toMatchObject({ code: 'failed' });
    expect(operationFailure('app', 'put', new DOMException('could not be cloned', 'DataCloneError')).message).toContain('(DataCloneError: could not be cloned)');
  });
});

describe('openFailure()', () => {
  it('blames the upgrade step when one threw, with that error as cause', () => {
    const upgradeError = new TypeError('bad step');
    const error = openFailure('app', new DOMException('aborted', 'AbortError'), upgradeError);
    expect(error).toMatchObject({ code: 'failed', reason: 'failed', cause: upgradeError, hint: expect.stringMatching(/bug in sessionlab/) });
    expect(error.message).toContain(`to schema version ${SCHEMA_VERSION} failed (TypeError: bad step)`);
  });

  it('an upgrade step that threw null is still the upgrade\'s fault', () => {
    expect(openFailure('app', new DOMException('aborted', 'AbortError'), null)).toMatchObject({ code: 'failed', cause: null });
  });

  it('a VersionError is a database a newer release upgraded: reload', () => {
    const cause = new DOMException('The requested version is less than the existing version.', 'VersionError');
    expect(openFailure('app', cause, undefined)).toMatchObject({ code: 'newer-version', reason: 'unavailable', cause, hint: 'Reload the page to run the newer release.' });
  });

  it('anything else is the browser refusing to open it', () => {
    const cause = new DOMException('denied', 'InvalidStateError');
    expect(openFailure('app', cause, undefined)).toMatchObject({ code: 'unavailable', reason: 'unavailable', cause, hint: expect.stringMatching(/Fall back to MemoryStore/) });
  });
});

describe('the other failures', () => {
  it('noIndexedDB() is code unavailable, and names the database', () => {
    const error = noIndexedDB('app');
    expect(error).toMatchObject({ code: 'unavailable', reason: 'unavailable', hint: expect.stringMatching(/pass an IDBFactory/) });
    expect(error.message).toContain('database "app" cannot be opened');
  });

  it('blocked() is code blocked, reason locked, and names both versions', () => {
    const error = blocked('app', 1);
    expect(error).toMatchObject({ code: 'blocked', reason: 'locked', hint: expect.stringMatching(/Close or reload the other tabs/) });
    expect(error.message).toContain(`from version 1 to ${SCHEMA_VERSION}`);
  });

  it('unavailable() keeps the browser\'s error as cause and says what it was', () => {
    const cause = new DOMException('denied', 'SecurityError');
    const error = unavailable('app', cause);
    expect(error).toMatchObject({ code: 'unavailable', cause });
    expect(error.message).toContain('(SecurityError: denied)');
  });
});
