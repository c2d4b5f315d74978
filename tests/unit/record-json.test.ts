/**
 * recordOf(): how the stores that keep records as JSON text (SQLite, Redis, PostgreSQL) read one back
 * for listing. Whatever the text holds, it answers a record or null: hostile input is left out, never thrown.
 */
import { describe, expect, it } from 'vitest';
import { recordOf } from '../../src/session/stores/record-json.ts';

describe('recordOf()', () => {
  it('answers the record a JSON object holds', () => {
    const record = { sessionId: 'a', userId: 'u', expires: '2026-12-03T00:00:00.000Z', data: { cart: ['apple'] } };
    expect(recordOf(JSON.stringify(record))).toEqual(record);
  });

  it.each([
    ['null', 'null'],
    ['a list', '[{"sessionId":"a"}]'],
    ['a string', '"{\\"sessionId\\":\\"a\\"}"'],
    ['a number', '42'],
    ['a boolean', 'true'],
  ])('answers null for JSON that holds %s, not an object', (_what, json) => {
    expect(recordOf(json)).toBeNull();
  });

  it.each([
    ['text that is not JSON', 'not json'],
    ['a cut-off object', '{"sessionId":"a"'],
    ['nothing', ''],
  ])('answers null, without throwing, for %s', (_what, json) => {
    expect(recordOf(json)).toBeNull();
  });
});
