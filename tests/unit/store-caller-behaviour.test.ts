/**
 * copyRecord: a cycle reached through arrays is copied as structuredClone copies it, however the
 * arrays and objects along it alternate.
 */
import { describe, expect, it } from 'vitest';
import { copyRecord } from '../../src/session/store-caller.ts';

describe('copyRecord of a cycle through arrays', () => {
  it('copies an array that holds itself', () => {
    const list: unknown[] = ['a'];
    list.push(list);
    const copy = copyRecord({ list });
    expect(copy.list).not.toBe(list);
    expect(copy.list[0]).toBe('a');
    expect(copy.list[1]).toBe(copy.list);
  });

  it('copies a cycle that alternates arrays and objects', () => {
    const node: { children: unknown[] } = { children: [] };
    node.children.push(node);
    const copy = copyRecord(node);
    expect(copy).not.toBe(node);
    expect(copy.children[0]).toBe(copy);
  });
});
