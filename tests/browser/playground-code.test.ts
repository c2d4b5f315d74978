/**
 * The playground's code-handling pieces in real Chromium: finding and rewriting the modules compiled
 * code imports, source maps back to the editor's lines, share links through CompressionStream, and
 * the messages a failing store gets.
 */
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../src/sim/protocol.ts';
import { escapeMarkdown, plainHover } from '../../src/editor/markdown-text.ts';
import { rewriteImports, scanImports, scanWrittenImports } from '../../src/editor/module-imports.ts';
import { exportedClassName, findMethodLine, lineInMessage, problemOf, type ProblemContext } from '../../src/playground/playground-messages.ts';
import { decodeShare, encodeShare } from '../../src/playground/share-link.ts';
import { decodeMappings, identityTable, originalPosition } from '../../src/editor/source-map.ts';

describe('finding the modules code imports', () => {
  it('finds every form that names a module, with its line', () => {
    const code = [
      "import { BaseSessionStore } from '@fluidauth/express/base';",
      'import * as idb from "idb";',
      "import 'sessionlab';",
      "export { MemoryStore } from 'sessionlab';",
      "export * from '@fluidauth/express';",
      'const later = () => import("idb");',
    ].join('\n');
    expect(scanImports(code).imports.map(({ specifier, line, dynamic }) => [specifier, line, dynamic])).toEqual([
      ['@fluidauth/express/base', 1, false],
      ['idb', 2, false],
      ['sessionlab', 3, false],
      ['sessionlab', 4, false],
      ['@fluidauth/express', 5, false],
      ['idb', 6, true],
    ]);
  });

  it('ignores module names in comments, strings, templates and regular expressions', () => {
    const code = [
      "// import fs from 'node:fs';",
      "/* import('node:path') */",
      "const text = \"import x from 'nope'\";",
      'const template = `import y from ${"also-nope"} and import("no")`;',
      "const pattern = /import z from 'x'/g;",
      'const meta = import.meta.url;',
      "const object = { import: 'not-a-module' };",
      "import { openDB } from 'idb';",
    ].join('\n');
    expect(scanImports(code).imports.map((item) => item.specifier)).toEqual(['idb']);
  });

  it('reports an import() whose module name is computed', () => {
    const scan = scanImports("const name = 'idb';\nawait import(name);");
    expect(scan.imports).toEqual([]);
    expect(scan.computed.map((item) => item.line)).toEqual([2]);
  });

  it('is not fooled by a division that looks like a regular expression', () => {
    const scan = scanImports("let of = 4, u = 'https://example.test/x.js', x, y;\nx = of / 2; import(u); y = 1 / 1;\nx = of / 2; import('node:fs'); y = 1 / 1;");
    expect(scan.computed.map((item) => item.line)).toEqual([2]);
    expect(scan.imports.map((item) => [item.specifier, item.line])).toEqual([['node:fs', 3]]);
  });

  it('reads a template literal without substitutions as the module name, and one with them as computed', () => {
    const scan = scanImports('await import(`idb`);\nconst a = "id";\nawait import(`${a}b`);');
    expect(scan.imports.map((item) => item.specifier)).toEqual(['idb']);
    expect(scan.computed.map((item) => item.line)).toEqual([3]);
  });

  it('says that code it cannot parse cannot run, with the line', () => {
    const scan = scanImports('const ok = 1;\nconst = broken;');
    expect(scan.unreadable?.line).toBe(2);
    expect(scan.imports).toEqual([]);
  });

  it('finds the imports as written in TypeScript, where they are, for the marks', () => {
    const code = "import type { Thing } from 'express';\nimport { openDB } from 'idb';\nclass A<T> { m(a: Array<T>): void { void import('sessionlab'); } }\nconst n = 'x';\nimport(n);";
    const written = scanWrittenImports(code);
    expect(written.imports.map(({ specifier, line, dynamic }) => [specifier, line, dynamic])).toEqual([
      ['express', 1, false],
      ['idb', 2, false],
      ['sessionlab', 3, true],
    ]);
    expect(written.computed.map((item) => item.line)).toEqual([5]);
    for (const item of written.imports) expect(code.slice(item.start, item.end)).toBe(`'${item.specifier}'`);
  });

  it('rewrites each module name in place, keeping every line where it was', () => {
    const code = "import { a } from 'idb';\n\nexport const b = await import('sessionlab');\n";
    const rewritten = rewriteImports(code, scanImports(code).imports, (specifier) => `blob:test/${specifier}`);
    expect(rewritten).toBe('import { a } from "blob:test/idb";\n\nexport const b = await import("blob:test/sessionlab");\n');
    expect(rewritten.split('\n')).toHaveLength(code.split('\n').length);
  });
});

describe('source maps', () => {
  // What TypeScript emits for a class whose first member, an interface-only line, vanished:
  // compiled line 2 comes from source line 4.
  const mappings = 'AAAA;AAGA,IAAI;AACA';

  it('decodes TypeScript’s mappings into lines of the source', () => {
    const table = decodeMappings(mappings);
    expect(table).toEqual([[0, 0, 0], [0, 3, 0, 4, 3, 4], [0, 4, 4]]);
    expect(originalPosition(table, 2, 1)).toEqual({ line: 4, column: 1 });
    expect(originalPosition(table, 2, 7)).toEqual({ line: 4, column: 5 });
    expect(originalPosition(table, 3, 1)).toEqual({ line: 5, column: 5 });
    expect(originalPosition(table, 9, 1)).toBeNull();
  });

  it('maps code that is its own source to itself', () => {
    const table = identityTable('a\nb\nc');
    expect(originalPosition(table, 3, 5)).toEqual({ line: 3, column: 1 });
  });
});

describe('share links', () => {
  it('carry code and language through a compressed URL fragment, and back', async () => {
    const code = `export class Grüße {}\n// ${'🍪'.repeat(50)}\n${'const x = 1;\n'.repeat(200)}`;
    const fragment = await encodeShare({ language: 'javascript', code });
    expect(fragment).toMatch(/^#code=[A-Za-z0-9_-]+$/);
    expect(fragment.length).toBeLessThan(code.length / 3);
    expect(await decodeShare(fragment)).toEqual({ language: 'javascript', code });
  });

  it('never throw on a damaged or foreign fragment', async () => {
    expect(await decodeShare('')).toBeNull();
    expect(await decodeShare('#section-2')).toBeNull();
    expect(await decodeShare('#code=%%%')).toBeNull();
    expect(await decodeShare('#code=AAAA')).toBeNull();
    const valid = await encodeShare({ language: 'typescript', code: 'x' });
    expect(await decodeShare(valid.slice(0, -4))).toBeNull();
  });
});

describe('messages for a failing store', () => {
  const code = ['export class MyStore extends BaseSessionStore {', '  db = new Map();', '  async get(id) {', '    return null;', '  }', '}'].join('\n');
  const context: ProblemContext = {
    isReaderStore: (label) => label.startsWith('MyStore'),
    methodLine: (method) => findMethodLine(code, method),
    stuckMethod: () => 'get',
    fallback: () => "the Lab's built-in MemoryStore (not your code)",
  };
  const at = { seq: 1, at: 0 };
  const storeCall = (outcome: 'failed' | 'timeout' | 'invalid-result', error: string): SimEvent => ({
    ...at,
    kind: 'session',
    requestId: 1,
    event: { type: 'store-call', at: 0, method: 'get', key: 'k', durationMs: 1, outcome, error },
  });

  it('an error a method threw: its message, and the line it names', () => {
    const problem = problemOf(storeCall('failed', 'Session store get() failed: boom (line 4 in the editor)'), context);
    expect(problem).toMatchObject({ title: 'get() threw an error', detail: 'boom (line 4 in the editor)', line: 4 });
    expect(problem?.hint).toContain('answered 503');
  });

  it('a promise that never settled: the method, and where it is defined', () => {
    const problem = problemOf(storeCall('timeout', 'Session store get() did not answer in time: no answer after 1500 ms.'), context);
    expect(problem).toMatchObject({ title: 'get() never settled', line: 3 });
    expect(problem?.detail).toContain('neither resolved nor rejected (no answer after 1500 ms)');
    expect(problem?.hint).toContain("The store was stopped and the Lab now runs on the Lab's built-in MemoryStore (not your code); fix it and press Run.");
  });

  it('an answer that is no record: what is wrong with it', () => {
    const problem = problemOf(
      storeCall('invalid-result', "Session store get() returned something that is not a session record: the record's expires is a Date, not an ISO 8601 string."),
      context,
    );
    expect(problem).toMatchObject({ title: 'get() returned something that is not a session record', detail: "The record's expires is a Date, not an ISO 8601 string.", line: 3 });
  });

  it('a server that stopped answering: the method it was in, and where the Lab runs now', () => {
    const event: SimEvent = { ...at, kind: 'server', step: 'timeout', storeChoice: { kind: 'module', label: 'MyStore (run 2)' }, store: 'MyStore (run 2)', detail: 'POST /api/login got no answer within 3000 ms; the server is restarted.' };
    const problem = problemOf(event, context);
    expect(problem?.title).toBe('Your store stopped answering');
    expect(problem?.detail).toBe('POST /api/login got no answer within 3000 ms. It was inside get(): a loop that never ends (while (true) { … }) blocks the whole server.');
    expect(problem?.hint).toBe("The server was stopped and now runs on the Lab's built-in MemoryStore (not your code). Your code is still here: fix the loop and press Run.");
    expect(problem?.hint).not.toContain('worked');
    expect(problem?.line).toBe(3);
  });

  it('says nothing about stores that are not the reader’s', () => {
    const event: SimEvent = { ...at, kind: 'server', step: 'timeout', storeChoice: { kind: 'memory' }, store: 'MemoryStore', detail: 'x' };
    expect(problemOf(event, context)).toBeNull();
  });

  it('finds lines and names in the reader’s code', () => {
    expect(findMethodLine(code, 'get')).toBe(3);
    expect(findMethodLine(code, 'class')).toBe(1);
    expect(findMethodLine(code, 'clean')).toBeNull();
    expect(findMethodLine('  private async update<T>(id: string) {', 'update')).toBe(1);
    expect(exportedClassName(code)).toBe('MyStore');
    expect(exportedClassName('export default class Sessions {}')).toBe('Sessions');
    expect(lineInMessage('TypeError: x (line 12 in the editor)')).toBe(12);
    expect(lineInMessage('no line here')).toBeNull();
  });

  it('reads a method name from a worker as text, never as a pattern', () => {
    expect(findMethodLine(code, 'g.t'), 'a dot is a dot').toBeNull();
    expect(findMethodLine('  *[Symbol.iterator]() {}\n  static async get (id) {', 'get')).toBe(2);
    // A name built to make a regular expression backtrack for minutes, beside the line it would backtrack on.
    expect(findMethodLine(`class S {\n  /*\n  ${'a'.repeat(40)}\n  */\n}`, '(a+)+b')).toBeNull();
  });
});

describe('reader text in the editor’s hovers', () => {
  it('escapes every Markdown character, so links, images, HTML and icons stay text', () => {
    expect(escapeMarkdown('[a](https://x.test) ![i](https://x.test/i.png) <b>x</b> $(alert) *em* `c`')).toBe(
      '\\[a\\]\\(https\\:\\/\\/x\\.test\\) \\!\\[i\\]\\(https\\:\\/\\/x\\.test\\/i\\.png\\) \\<b\\>x\\<\\/b\\> \\$\\(alert\\) \\*em\\* \\`c\\`',
    );
    expect(escapeMarkdown('plain words 42')).toBe('plain words 42');
    expect(plainHover('x')).toEqual({ value: 'x', isTrusted: false, supportHtml: false, supportThemeIcons: false });
  });
});
