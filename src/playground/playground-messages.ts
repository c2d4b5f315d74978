/**
 * What went wrong with the reader's store, in the reader's terms. The simulation reports what it
 * saw (a store call that failed, timed out or answered nonsense; a store that did not start; a server
 * that stopped answering); this turns each into a message that names the method, says what the
 * Session did about it, points at the line in the editor, and says what to do.
 */
import type { SimEvent } from '../sim/protocol.ts';

export interface Problem {
  tone: 'error' | 'warning';
  title: string;
  detail: string;
  /** What to do about it. */
  hint: string;
  /** The line in the editor, when known. */
  line: number | null;
}

export interface ProblemContext {
  /** Whether the simulation's store named `label` is the reader's (and not, say, the MemoryStore it fell back to). */
  isReaderStore(label: string): boolean;
  /** The line where the reader's code defines `method`, if it does. */
  methodLine(method: string): number | null;
  /** The store method the server was inside when it stopped answering, if known. */
  stuckMethod(): string | null;
  /** Where the server runs after a hang, in a sentence's words (served-stores.ts `Fallback.described`). */
  fallback(): string;
}

const LINE_IN_EDITOR = /\(line (\d+) in the editor\)/;

/** The line an error message names ("… (line 12 in the editor)"), or null. */
export function lineInMessage(message: string): number | null {
  const match = LINE_IN_EDITOR.exec(message);
  return match ? Number(match[1]) : null;
}

/** The Problem an event reports, or null for events that are no problem of the reader's store. */
export function problemOf(event: SimEvent, context: ProblemContext): Problem | null {
  if (event.kind === 'session' && event.event.type === 'store-call' && event.event.outcome !== 'ok') {
    const { method, outcome } = event.event;
    const error = event.event.error ?? '';
    const reason = error.replace(/^Session store \w+\(\) [^:]*: /, '');
    switch (outcome) {
      case 'failed':
        return {
          tone: 'error',
          title: `${method}() threw an error`,
          detail: reason,
          hint: 'The Session caught it and answered 503 (Service Unavailable): while a store method fails, nobody can sign in or stay signed in. Fix it and press Run.',
          line: lineInMessage(reason) ?? context.methodLine(method),
        };
      case 'timeout':
        return {
          tone: 'error',
          title: `${method}() never settled`,
          detail: `It returned a promise that neither resolved nor rejected (${reason.replace(/\.$/, '')}), so the Session stopped waiting and answered 503.`,
          hint: `Every path through ${method}() must resolve (return a value, or call resolve()) or reject (throw, or call reject()). A new Promise(…) whose resolve is never called is the usual cause. The store was stopped and the Lab now runs on ${context.fallback()}; fix it and press Run.`,
          line: context.methodLine(method),
        };
      case 'invalid-result':
        return {
          tone: 'error',
          title: `${method}() returned something that is not a session record`,
          detail: capitalize(reason),
          hint:
            method === 'get'
              ? 'get(id) must return the record create() was given, every field as it was (sessionId, userId, expires as an ISO string, …), or null when there is none.'
              : `Check what ${method}() returns: the Session expects the shape the store contract describes.`,
          line: context.methodLine(method),
        };
      case 'conflict':
        return null; // concurrent writers, not a fault of the store
    }
  }
  if (event.kind === 'server' && context.isReaderStore(event.store)) {
    const detail = event.detail ?? '';
    switch (event.step) {
      case 'crashed':
        if (detail.startsWith('Uncaught error') || detail.startsWith('Unhandled promise rejection')) {
          return {
            tone: 'error',
            title: 'An error escaped your store',
            detail: detail.replace(/ \(the server keeps running\)\.$/, '.'),
            hint: 'It was thrown where no request waited for it (a timer, a promise nobody awaited). The server keeps running; return or await your promises so failures reach the Session.',
            line: lineInMessage(detail),
          };
        }
        return {
          tone: 'error',
          title: `${event.store} did not start`,
          detail,
          hint: 'Nothing of your store ran for the Lab: the server kept the store it had. Fix the problem and press Run.',
          line: lineInMessage(detail) ?? (/has no .*method/.test(detail) ? context.methodLine('class') : null),
        };
      case 'timeout': {
        const method = context.stuckMethod();
        return {
          tone: 'error',
          title: 'Your store stopped answering',
          detail: `${detail.replace(/; the server is restarted\.$/, '.')} ${method ? `It was inside ${method}(): ` : ''}a loop that never ends (while (true) { … }) blocks the whole server.`,
          hint: `The server was stopped and now runs on ${context.fallback()}. Your code is still here: fix the loop and press Run.`,
          line: method ? context.methodLine(method) : null,
        };
      }
      default:
        return null;
    }
  }
  return null;
}

/** Words that may stand before a method's name in a class body. */
const MODIFIERS = new Set(['public', 'private', 'protected', 'override', 'static', 'async', 'readonly']);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const CLASS_LINE = /^\s*(?:export\s+)?(?:default\s+)?class\b/;

/**
 * The line where `method` is defined in `code` (a class method), or where the first class is, for
 * `'class'`. `method` comes from a worker, so it is only ever compared as text, never made into a
 * regular expression: the search takes time in proportion to the code, whatever the name.
 */
export function findMethodLine(code: string, method: string): number | null {
  const lines = code.split('\n');
  if (method === 'class') {
    const index = lines.findIndex((line) => CLASS_LINE.test(line));
    return index === -1 ? null : index + 1;
  }
  if (!IDENTIFIER.test(method)) return null;
  const index = lines.findIndex((line) => definesMethod(line, method));
  return index === -1 ? null : index + 1;
}

/** Whether `line` starts the definition of `method`: `[modifiers] [*]name [<…>] (`. */
function definesMethod(line: string, method: string): boolean {
  let rest = line.trimStart();
  for (;;) {
    const word = /^[A-Za-z]+/.exec(rest)?.[0];
    if (!word || !MODIFIERS.has(word) || !/^\s/.test(rest.slice(word.length))) break;
    rest = rest.slice(word.length).trimStart();
  }
  if (rest.startsWith('*')) rest = rest.slice(1);
  if (!rest.startsWith(method)) return false;
  rest = rest.slice(method.length).trimStart();
  if (rest.startsWith('<')) {
    const close = rest.indexOf('>');
    if (close === -1) return false;
    rest = rest.slice(close + 1).trimStart();
  }
  return rest.startsWith('(');
}

/** The name of the store class `code` exports, as far as a glance can tell. */
export function exportedClassName(code: string): string | null {
  return /export\s+(?:default\s+)?class\s+([A-Za-z_$][\w$]*)/.exec(code)?.[1] ?? null;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
