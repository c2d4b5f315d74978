/**
 * Three-way merge of session data: re-applies one request's own changes onto a newer record that
 * another request wrote in the meantime, so that neither request's change is lost.
 *
 * `base` is the data the request loaded, `ours` what the request made of it, `theirs` the newer
 * record's data. The rules, from the inside out:
 * - what only one side changed is taken from that side;
 * - objects merge key by key (a key one side deleted stays deleted unless the other side changed it);
 * - arrays merge as multisets: our removals are removed from theirs, our additions appended to it —
 *   two requests that each add an item to a cart keep both items;
 * - when both sides set the same scalar to different values, ours wins (this request wrote last).
 */
import type { JsonValue } from './types.ts';

export function mergeChanges(base: JsonValue | undefined, ours: JsonValue | undefined, theirs: JsonValue | undefined): JsonValue | undefined {
  if (sameJson(ours, base)) return theirs;
  if (sameJson(theirs, base)) return ours;
  if (isObject(base) && isObject(ours) && isObject(theirs)) return mergeObjects(base, ours, theirs);
  if (Array.isArray(base) && Array.isArray(ours) && Array.isArray(theirs)) return mergeArrays(base, ours, theirs);
  return ours;
}

type JsonObject = { [key: string]: JsonValue };

function mergeObjects(base: JsonObject, ours: JsonObject, theirs: JsonObject): JsonObject {
  // Data keys are the application's: "constructor" or "__proto__" is a key like any other. So read
  // own properties only (an inherited Object.prototype.constructor is not data), and never assign a
  // key to an object: collect [key, value] pairs, and let Object.fromEntries define each one as an own
  // property of an ordinary object (where `merged.__proto__ = value` would set the prototype instead).
  const merged: [string, JsonValue][] = [];
  for (const key of new Set([...Object.keys(theirs), ...Object.keys(ours), ...Object.keys(base)])) {
    const value = mergeChanges(own(base, key), own(ours, key), own(theirs, key));
    if (value !== undefined) merged.push([key, value]);
  }
  return Object.fromEntries(merged);
}

function own(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function mergeArrays(base: JsonValue[], ours: JsonValue[], theirs: JsonValue[]): JsonValue[] {
  const removed = multisetMinus(base, ours);
  const added = multisetMinus(ours, base);
  const merged = [...theirs];
  for (const item of removed) {
    const index = merged.findIndex((candidate) => sameJson(candidate, item));
    if (index !== -1) merged.splice(index, 1);
  }
  return [...merged, ...added];
}

/** Items of `from` left after taking out one occurrence of each item of `take`, in order. */
function multisetMinus(from: readonly JsonValue[], take: readonly JsonValue[]): JsonValue[] {
  const remaining = take.map((item) => JSON.stringify(item));
  const left: JsonValue[] = [];
  for (const item of from) {
    const index = remaining.indexOf(JSON.stringify(item));
    if (index === -1) left.push(item);
    else remaining.splice(index, 1);
  }
  return left;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
