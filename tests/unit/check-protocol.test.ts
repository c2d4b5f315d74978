/**
 * How the page reads what the checks worker posts (src/checks/check-protocol.ts): reader code runs
 * in that worker, so a message counts only when it belongs to the page's run and has every field right.
 */
import { describe, expect, it } from 'vitest';
import { readFromChecks, readRuntimeReport } from '../../src/checks/check-protocol.ts';

const RUN = 'run-1';
const result = { id: 'create-get', title: 'create then get', passed: false, message: 'get() returned null', hint: 'Keep what create() was given.', durationMs: 3 };

describe('a message from the checks worker', () => {
  it('is read when it carries the run the page started and every field it should', () => {
    expect(readFromChecks({ run: RUN, type: 'result', result }, RUN)).toEqual({ run: RUN, type: 'result', result });
    expect(readFromChecks({ run: RUN, type: 'start', id: 'create-get' }, RUN)).toEqual({ run: RUN, type: 'start', id: 'create-get' });
    expect(readFromChecks({ run: RUN, type: 'done' }, RUN)).toEqual({ run: RUN, type: 'done' });
  });

  it('is not read when it belongs to another run, or to none', () => {
    expect(readFromChecks({ run: 'run-2', type: 'done' }, RUN)).toBeNull();
    expect(readFromChecks({ type: 'done' }, RUN)).toBeNull();
    expect(readFromChecks({ type: 'result', result: { ...result, passed: true } }, RUN)).toBeNull();
  });

  it('is not read when a field is missing or of the wrong kind', () => {
    for (const broken of [
      null,
      'done',
      [RUN, 'done'],
      { run: RUN, type: 'unknown' },
      { run: RUN, type: 'start', id: 42 },
      { run: RUN, type: 'start', id: '' },
      { run: RUN, type: 'result', result: { ...result, passed: 'yes' } },
      { run: RUN, type: 'result', result: { ...result, durationMs: Number.NaN } },
      { run: RUN, type: 'result', result: { ...result, hint: undefined } },
      { run: RUN, type: 'reload', id: 1.5 },
      { run: RUN, type: 'failed', message: { text: 'x' } },
    ]) {
      expect(readFromChecks(broken, RUN), JSON.stringify(broken)).toBeNull();
    }
  });

  it('cannot pass and say what went wrong, or pass without having run', () => {
    expect(readFromChecks({ run: RUN, type: 'result', result: { ...result, passed: true } }, RUN)).toBeNull();
    const { message: _message, ...clean } = result;
    expect(readFromChecks({ run: RUN, type: 'result', result: { ...clean, passed: true, skipped: 'Not run' } }, RUN)).toBeNull();
  });

  it('carries "not offered" with the method it names, and a timed-out failure as such', () => {
    const notOffered = { ...result, skipped: 'not-offered', notOffered: 'compareAndSet', message: 'The store has no compareAndSet(): …' };
    expect(readFromChecks({ run: RUN, type: 'result', result: notOffered }, RUN)).toEqual({ run: RUN, type: 'result', result: notOffered });
    const timedOut = { ...result, message: 'No answer within 3 s: …', timedOut: true };
    expect(readFromChecks({ run: RUN, type: 'result', result: timedOut }, RUN)).toEqual({ run: RUN, type: 'result', result: timedOut });
  });

  it('cannot say "not offered" without a method name, name a method elsewhere, or time out without failing', () => {
    for (const forged of [
      { ...result, skipped: 'not-offered' },
      { ...result, skipped: 'not-offered', notOffered: 'all() { return [] }' },
      { ...result, skipped: 'Not run', notOffered: 'all' },
      { ...result, notOffered: 'all' },
      { ...result, timedOut: 'yes' },
      { ...result, timedOut: false },
      { ...result, passed: true, message: undefined, timedOut: true },
      { ...result, message: undefined, skipped: 'Not run', timedOut: true },
    ]) {
      expect(readFromChecks({ run: RUN, type: 'result', result: forged }, RUN), JSON.stringify(forged)).toBeNull();
    }
  });

  it('keeps only the fields it knows, and cuts text that is too long to show', () => {
    const read = readFromChecks({ run: RUN, type: 'result', result: { ...result, message: 'x'.repeat(50_000), extra: '<script>' } }, RUN);
    expect(read?.type === 'result' && read.result.message?.length).toBe(20_000);
    expect(read?.type === 'result' && 'extra' in read.result).toBe(false);
  });
});

describe('a report from reader code', () => {
  it('is read when it is console output, a call or a return, with every field', () => {
    const output = { source: 'server', run: 2, time: 1, type: 'console', level: 'warn', text: 'hello', line: 4 };
    expect(readRuntimeReport(output)).toEqual(output);
    expect(readRuntimeReport({ source: 'checks', run: 1, type: 'call', id: 3, method: 'get' })).toEqual({ source: 'checks', run: 1, type: 'call', id: 3, method: 'get' });
  });

  it('is not read otherwise', () => {
    expect(readRuntimeReport({ source: 'server', run: 2, time: 1, type: 'console', level: 'alert', text: 'x', line: null })).toBeNull();
    expect(readRuntimeReport({ source: 'server', run: 2, time: 1, type: 'console', level: 'log', text: 'x', line: -1 })).toBeNull();
    expect(readRuntimeReport({ source: 'page', run: 2, type: 'return', id: 1 })).toBeNull();
    expect(readRuntimeReport({ source: 'server', run: 2, type: 'call', id: 1, method: 7 })).toBeNull();
  });
});
