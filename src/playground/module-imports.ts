/**
 * Finds the modules a piece of JavaScript imports, so the playground can check them against the
 * modules reader code may use and point each allowed one at a URL the worker can load (module
 * workers have no import maps). A small tokenizer, not a parser: it skips comments, strings, template
 * literals and regular expressions, and recognises the four forms that name a module:
 *
 *   import x from "m"   import "m"   export … from "m"   import("m")
 *
 * It never evaluates anything, and it keeps every character's line: rewriting a specifier changes
 * columns on its own line only, so line numbers (and source maps by line) stay right.
 */

export interface ModuleImport {
  /** The module name as written, e.g. `@fluidauth/express/base`. */
  specifier: string;
  /** Offsets of the string literal, quotes included, in the code. */
  start: number;
  end: number;
  /** 1-based line of the literal. */
  line: number;
  /** `import("…")` rather than a declaration. */
  dynamic: boolean;
}

/** An `import(…)` whose module name is computed: it cannot be checked before running. */
export interface ComputedImport {
  start: number;
  line: number;
}

export interface ImportScan {
  imports: ModuleImport[];
  computed: ComputedImport[];
}

type Token =
  | { kind: 'name'; text: string; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'punct'; text: string; start: number; end: number }
  | { kind: 'other'; start: number; end: number };

/** Keywords after which a `/` starts a regular expression, not a division. */
const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

export function scanImports(code: string): ImportScan {
  const tokens = tokenize(code);
  const lineAt = lineIndex(code);
  const imports: ModuleImport[] = [];
  const computed: ComputedImport[] = [];
  const seen = new Set<number>();
  const literal = (token: Token, dynamic: boolean): void => {
    if (token.kind !== 'string' || seen.has(token.start)) return;
    seen.add(token.start);
    imports.push({ specifier: token.value, start: token.start, end: token.end, line: lineAt(token.start), dynamic });
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== 'name' || (token.text !== 'import' && token.text !== 'export')) continue;
    const before = tokens[i - 1];
    if (before?.kind === 'punct' && (before.text === '.' || before.text === '?.')) continue; // obj.import
    const next = tokens[i + 1];
    if (!next) break;
    if (next.kind === 'punct' && next.text === ':') continue; // { import: … }
    if (token.text === 'import') {
      if (next.kind === 'punct' && next.text === '.') continue; // import.meta
      if (next.kind === 'punct' && next.text === '(') {
        const argument = tokens[i + 2];
        const after = tokens[i + 3];
        if (argument?.kind === 'string' && after?.kind === 'punct' && (after.text === ')' || after.text === ',')) literal(argument, true);
        else computed.push({ start: token.start, line: lineAt(token.start) });
        continue;
      }
      if (next.kind === 'string') {
        literal(next, false);
        continue;
      }
    }
    // A declaration: the module is the string after the `from` that ends it (before any `;` or a new statement).
    let depth = 0;
    for (let j = i + 1; j < tokens.length; j++) {
      const current = tokens[j]!;
      if (current.kind === 'punct') {
        if (current.text === '{') depth++;
        else if (current.text === '}') depth--;
        else if (depth === 0 && (current.text === ';' || current.text === '=' || current.text === '(')) break;
      }
      if (depth === 0 && current.kind === 'name' && current.text === 'from') {
        const source = tokens[j + 1];
        if (source) literal(source, false);
        break;
      }
      // `export class`, `export const`…: no module named.
      if (j === i + 1 && current.kind === 'name' && token.text === 'export' && current.text !== 'type') break;
    }
  }
  return { imports, computed };
}

/** Replaces each import's literal with the one `rename` gives (a URL), leaving everything else as it was. */
export function rewriteImports(code: string, imports: readonly ModuleImport[], rename: (specifier: string) => string): string {
  let result = '';
  let at = 0;
  for (const item of [...imports].sort((a, b) => a.start - b.start)) {
    result += code.slice(at, item.start) + JSON.stringify(rename(item.specifier));
    at = item.end;
  }
  return result + code.slice(at);
}

function tokenize(code: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  /** Template literals whose `${` is open, by the brace depth they were opened at. */
  const templates: number[] = [];
  let braces = 0;
  const last = (): Token | undefined => tokens[tokens.length - 1];

  while (i < code.length) {
    const char = code[i]!;
    const next = code[i + 1];
    if (/\s/.test(char)) {
      i++;
    } else if (char === '/' && next === '/') {
      while (i < code.length && code[i] !== '\n') i++;
    } else if (char === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end === -1 ? code.length : end + 2;
    } else if (char === '"' || char === "'") {
      const start = i;
      let value = '';
      i++;
      while (i < code.length && code[i] !== char && code[i] !== '\n') {
        if (code[i] === '\\') {
          value += code[i + 1] ?? '';
          i += 2;
        } else {
          value += code[i];
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'string', value, start, end: Math.min(i, code.length) });
    } else if (char === '`' || (char === '}' && templates.length > 0 && templates[templates.length - 1] === braces)) {
      // A template literal, or the rest of one after a `${ … }`.
      const start = i;
      if (char === '}') templates.pop();
      i++;
      while (i < code.length) {
        if (code[i] === '\\') {
          i += 2;
        } else if (code[i] === '`') {
          i++;
          break;
        } else if (code[i] === '$' && code[i + 1] === '{') {
          i += 2;
          templates.push(braces);
          break;
        } else {
          i++;
        }
      }
      tokens.push({ kind: 'other', start, end: i });
    } else if (/[A-Za-z_$\u0080-\uffff]/.test(char)) {
      const start = i;
      while (i < code.length && /[\w$\u0080-\uffff]/.test(code[i]!)) i++;
      tokens.push({ kind: 'name', text: code.slice(start, i), start, end: i });
    } else if (/[0-9]/.test(char) || (char === '.' && next !== undefined && /[0-9]/.test(next))) {
      const start = i;
      while (i < code.length && /[\w.]/.test(code[i]!)) i++;
      tokens.push({ kind: 'other', start, end: i });
    } else if (char === '/' && startsRegex(last())) {
      const start = i;
      let inClass = false;
      i++;
      while (i < code.length && code[i] !== '\n') {
        const c = code[i];
        if (c === '\\') i++;
        else if (c === '[') inClass = true;
        else if (c === ']') inClass = false;
        else if (c === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < code.length && /[a-z]/i.test(code[i]!)) i++;
      tokens.push({ kind: 'other', start, end: i });
    } else {
      const text = char === '?' && next === '.' ? '?.' : char;
      if (text === '{') braces++;
      else if (text === '}') braces--;
      tokens.push({ kind: 'punct', text, start: i, end: i + text.length });
      i += text.length;
    }
  }
  return tokens;
}

/** Whether a `/` after `previous` starts a regular expression. */
function startsRegex(previous: Token | undefined): boolean {
  if (!previous) return true;
  if (previous.kind === 'name') return REGEX_AFTER_WORDS.has(previous.text);
  if (previous.kind === 'punct') return previous.text !== ')' && previous.text !== ']' && previous.text !== '}';
  return false;
}

/** A function from offset to 1-based line. */
function lineIndex(code: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}
