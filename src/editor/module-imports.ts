/**
 * Finds the modules a piece of code imports, so the playground can check them against the modules
 * reader code may use and point each allowed one at a URL the worker can load (module workers have
 * no import maps). The four forms that name a module:
 *
 *   import x from "m"   import "m"   export … from "m"   import("m")
 *
 * Two readers, each a well-kept library rather than regular expressions over the text:
 * - `scanImports`: the code that runs (TypeScript's output, or the reader's JavaScript), parsed by
 *   acorn, a full ECMAScript parser. What it finds is what is checked and rewritten, so nothing that
 *   looks like a division, a regular expression or a comment can hide an import from it. Code it
 *   cannot parse is not run.
 * - `scanWrittenImports`: the code as the reader wrote it (TypeScript too), read by es-module-lexer,
 *   only to put the marks where the reader wrote the imports (TypeScript drops an import it sees no
 *   value use of, so the compiled code alone would miss `import x from 'express'` left unused).
 *
 * Neither evaluates anything. Rewriting a specifier changes columns on its own line only, so line
 * numbers (and source maps by line) stay right.
 */
import { parse as parseScript, type Node } from 'acorn';
import { simple as walk } from 'acorn-walk';
import { parse as lexModule } from 'es-module-lexer/js';

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

/** An `import(…)` whose module name is computed: it cannot be checked before running, so it is refused. */
export interface ComputedImport {
  start: number;
  line: number;
}

export interface ImportScan {
  imports: ModuleImport[];
  computed: ComputedImport[];
  /** The code could not be read as a module: nothing in it may run. */
  unreadable: { message: string; line: number } | null;
}

/** The imports of code about to run, read by a full parser. */
export function scanImports(code: string): ImportScan {
  const lineAt = lineIndex(code);
  let program: Node;
  try {
    program = parseScript(code, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
  } catch (error) {
    const position = (error as { pos?: unknown }).pos;
    return {
      imports: [],
      computed: [],
      unreadable: { message: error instanceof Error ? error.message.replace(/\s*\(\d+:\d+\)$/, '') : String(error), line: typeof position === 'number' ? lineAt(position) : 1 },
    };
  }
  const imports: ModuleImport[] = [];
  const computed: ComputedImport[] = [];
  const named = (source: Node | null | undefined, dynamic: boolean): boolean => {
    const specifier = staticString(source);
    if (specifier === null || !source) return false;
    imports.push({ specifier, start: source.start, end: source.end, line: lineAt(source.start), dynamic });
    return true;
  };
  const declaration = (node: Node & { source?: Node | null }): void => {
    if (node.source) named(node.source, false);
  };
  walk(program, {
    ImportDeclaration: declaration,
    ExportNamedDeclaration: declaration,
    ExportAllDeclaration: declaration,
    ImportExpression(node) {
      if (!named(node.source, true)) computed.push({ start: node.start, line: lineAt(node.start) });
    },
  });
  imports.sort((a, b) => a.start - b.start);
  return { imports, computed, unreadable: null };
}

/**
 * The imports as the reader wrote them (TypeScript or JavaScript), for marks on the right lines.
 * Best effort: code the lexer cannot read gives nothing here, and `scanImports` on the compiled code
 * still decides what may run.
 */
export function scanWrittenImports(code: string): Pick<ImportScan, 'imports' | 'computed'> {
  const lineAt = lineIndex(code);
  try {
    const [found] = lexModule(code);
    const imports: ModuleImport[] = [];
    const computed: ComputedImport[] = [];
    for (const item of found) {
      // import.meta (d === -2) names no module.
      if (item.d === -2) continue;
      const dynamic = item.d > -1;
      if (item.n === undefined) {
        if (dynamic) computed.push({ start: item.d, line: lineAt(item.d) });
        continue;
      }
      // For a declaration, s…e is the name inside the quotes; for import("m"), the whole argument.
      const start = dynamic ? item.s : item.s - 1;
      const end = dynamic ? item.e : item.e + 1;
      imports.push({ specifier: item.n, start, end, line: lineAt(start), dynamic });
    }
    return { imports, computed };
  } catch {
    return { imports: [], computed: [] };
  }
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

/** The text of a string literal, or of a template literal without substitutions; null for anything computed. */
function staticString(node: Node | null | undefined): string | null {
  if (!node) return null;
  if (node.type === 'Literal') {
    const value = (node as Node & { value: unknown }).value;
    return typeof value === 'string' ? value : null;
  }
  if (node.type === 'TemplateLiteral') {
    const template = node as Node & { expressions: unknown[]; quasis: { value: { cooked: string | null } }[] };
    if (template.expressions.length === 0 && template.quasis.length === 1) return template.quasis[0]?.value.cooked ?? null;
  }
  return null;
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
