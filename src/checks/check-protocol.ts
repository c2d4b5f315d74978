/**
 * What the page and the checks worker say to each other, and how the page reads what it is told.
 *
 * Reader code runs inside the checks worker, so anything that arrives from it may be forged. The page
 * therefore trusts no message for what it claims to be:
 * - results travel only over a MessageChannel port the page hands the worker in its first message,
 *   before any reader code loads (the worker keeps that port to itself); the worker's own global
 *   channel, which reader code can post on, is not listened to;
 * - every message carries the id the page chose for this run, and is checked field by field here;
 * - the page knows which checks it asked for: a result counts only for one of them, once, and a pass
 *   only for the check that was started and is running; `done` counts only when every check that was
 *   started has reported (check-runner.ts).
 * Text from the worker (messages, hints, console output) is only ever shown as text.
 */
import type { CheckLevel, CheckResult } from '../session/conformance/index.ts';

export type { CheckResult };

/** A check as the page knows it before it runs: what it shows while waiting, and under a failure. */
export type CheckInfo = Pick<CheckResult, 'id' | 'title' | 'hint' | 'level'>;

/** Which checks a run runs. */
export type CheckSuite = { kind: 'conformance' } | { kind: 'exercise'; slug: string };

/** The page's first and only unprompted message: the port every answer goes over, and what to run. */
export interface StartChecks {
  type: 'run';
  /** Chosen by the page; every message over the port carries it. */
  run: string;
  suite: CheckSuite;
  entryUrl: string;
  timeoutMs: number;
  port: MessagePort;
}

/** Over the port, page → worker: the answer to `reload`, the reader's module loaded anew. */
export interface Reloaded {
  type: 'reloaded';
  run: string;
  id: number;
  entryUrl: string | null;
}

/** Over the port, worker → page. */
export type FromChecks = { run: string } & (
  | { type: 'alive' }
  /** The checks and the store loaded: the checks begin. */
  | { type: 'loaded'; store: string }
  /** The checks or the store could not be loaded or constructed: no check can run. */
  | { type: 'failed'; message: string }
  | { type: 'start'; id: string }
  | { type: 'result'; result: CheckResult }
  /** Something the reader runtime reports (console output, the method that started). */
  | { type: 'report'; report: RuntimeReport }
  /** A restart: the page is asked for a new entry module of the same code. */
  | { type: 'reload'; id: number }
  | { type: 'done' }
);

/** What the runtime in a worker reports (reader-runtime.js), over the port or a BroadcastChannel. */
export type RuntimeReport =
  | { source: 'server' | 'checks'; run: number; time: number; type: 'console'; level: ConsoleLevel; text: string; line: number | null }
  | { source: 'server' | 'checks'; run: number; type: 'call'; id: number; method: string }
  | { source: 'server' | 'checks'; run: number; type: 'return'; id: number };

type ConsoleLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** Longer text is cut: a worker cannot make the page lay out megabytes. */
const MAX_TEXT = 20_000;
const CONSOLE_LEVELS = new Set<string>(['log', 'info', 'warn', 'error', 'debug']);
const CHECK_LEVELS = new Set<string>(['required', 'recommended'] satisfies CheckLevel[]);
/** A store method's name, as a check that is not offered names it. */
const METHOD_NAME = /^[A-Za-z_$][\w$]{0,99}$/;

type Fields = Record<string, unknown>;

/** A message from the checks worker, if it is one for run `run` in every field; null for anything else. */
export function readFromChecks(data: unknown, run: string): FromChecks | null {
  if (!isRecord(data) || data['run'] !== run) return null;
  switch (data['type']) {
    case 'alive':
    case 'done':
      return { run, type: data['type'] };
    case 'loaded':
      return isText(data['store']) ? { run, type: 'loaded', store: data['store'] } : null;
    case 'failed':
      return isText(data['message']) ? { run, type: 'failed', message: data['message'] } : null;
    case 'start':
      return isText(data['id']) ? { run, type: 'start', id: data['id'] } : null;
    case 'result': {
      const result = readResult(data['result']);
      return result ? { run, type: 'result', result } : null;
    }
    case 'report': {
      const report = readRuntimeReport(data['report']);
      return report ? { run, type: 'report', report } : null;
    }
    case 'reload':
      return Number.isSafeInteger(data['id']) ? { run, type: 'reload', id: data['id'] as number } : null;
    default:
      return null;
  }
}

/** A runtime report, if it is one in every field; null for anything else. */
export function readRuntimeReport(data: unknown): RuntimeReport | null {
  if (!isRecord(data) || (data['source'] !== 'server' && data['source'] !== 'checks') || !Number.isSafeInteger(data['run'])) return null;
  const base = { source: data['source'] as 'server' | 'checks', run: data['run'] as number };
  switch (data['type']) {
    case 'console': {
      const { level, text, line, time } = data;
      if (typeof level !== 'string' || !CONSOLE_LEVELS.has(level) || typeof text !== 'string' || !isNumber(time)) return null;
      if (line !== null && !isLine(line)) return null;
      return { ...base, type: 'console', level: level as ConsoleLevel, text: text.slice(0, MAX_TEXT), line, time };
    }
    case 'call':
      return Number.isSafeInteger(data['id']) && isText(data['method']) ? { ...base, type: 'call', id: data['id'] as number, method: data['method'] } : null;
    case 'return':
      return Number.isSafeInteger(data['id']) ? { ...base, type: 'return', id: data['id'] as number } : null;
    default:
      return null;
  }
}

function readResult(data: unknown): CheckResult | null {
  if (!isRecord(data)) return null;
  const { id, title, level, passed, skipped, notOffered, message, timedOut, hint, durationMs } = data;
  if (!isText(id) || typeof title !== 'string' || typeof passed !== 'boolean' || typeof hint !== 'string' || !isNumber(durationMs)) return null;
  if (level !== undefined && !(typeof level === 'string' && CHECK_LEVELS.has(level))) return null;
  if ((skipped !== undefined && typeof skipped !== 'string') || (message !== undefined && typeof message !== 'string')) return null;
  // A check that was not run, or that says what went wrong, did not pass.
  if (passed && (skipped !== undefined || message !== undefined)) return null;
  // The method a check needs and the store does not offer: a name, only with `skipped: 'not-offered'`.
  if ((skipped === 'not-offered') !== (notOffered !== undefined) || (notOffered !== undefined && !(typeof notOffered === 'string' && METHOD_NAME.test(notOffered)))) return null;
  // No answer in time: only for a check that failed, and says so.
  if (timedOut !== undefined && (timedOut !== true || passed || skipped !== undefined || message === undefined)) return null;
  return {
    id,
    title: title.slice(0, MAX_TEXT),
    ...(level === undefined ? {} : { level: level as CheckLevel }),
    passed,
    ...(skipped === undefined ? {} : { skipped: skipped.slice(0, MAX_TEXT) }),
    ...(notOffered === undefined ? {} : { notOffered: notOffered as string }),
    ...(message === undefined ? {} : { message: message.slice(0, MAX_TEXT) }),
    ...(timedOut === undefined ? {} : { timedOut: true as const }),
    hint: hint.slice(0, MAX_TEXT),
    durationMs,
  };
}

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isLine(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}
