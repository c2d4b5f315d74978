/**
 * The TypeScript and JavaScript code blocks of the docs, and a strict compile of all of them at once.
 *
 * Each block is written to a file of its own in a temporary project (outside the checkout) where the
 * package's entry points resolve to their sources, as package.json's "exports" map says, and FluidAuth's module
 * names to the core, then `tsc --strict` runs once over them. Errors are mapped back to the page and line.
 *
 * A block says in its fence meta what it is, so nothing is exempt by accident:
 * - no marker: a module on its own, as a reader would paste it into a file;
 * - `prelude=NAME` (or `prelude=NAME,OTHER`): a deliberately partial snippet; `tests/support/docs-preludes/NAME.ts`
 *   declares what it assumes (a `sessions`, an Express `app`, ...) and is put, unseen by readers, in front of it;
 * - `signature`: declarations that show an API's shape (a class without bodies, a function's signature),
 *   compiled in an ambient context, with its prelude's imports in scope (`signature prelude=api`).
 * A snippet that imports the reader's own module by a relative path (`./my-store.js`) finds it in
 * `tests/support/docs-modules/`.
 */
import { execFile } from 'node:child_process';
import { cpSync, globSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Code } from 'mdast';

const root = fileURLToPath(new URL('../../', import.meta.url));
const preludes = fileURLToPath(new URL('./docs-preludes/', import.meta.url));
/** Modules the snippets import by a relative path (`./my-store.js`), standing for what the page has the reader write. */
const modules = fileURLToPath(new URL('./docs-modules/', import.meta.url));

/** Languages a block is compiled in, by the name its fence gives. */
const LANGUAGES: Record<string, 'ts' | 'tsx' | 'js' | 'mjs'> = {
  ts: 'ts', typescript: 'ts', tsx: 'tsx', js: 'js', javascript: 'js', jsx: 'js', mjs: 'mjs',
};

export interface DocsCodeBlock {
  /** The page, relative to the repository root, with `/` separators. */
  page: string;
  /** The line of the block's first line of code (the line after its opening fence), 1-based. */
  line: number;
  lang: 'ts' | 'tsx' | 'js' | 'mjs';
  meta: Record<string, string | true>;
  code: string;
}

export interface BlockError {
  block: DocsCodeBlock;
  /** Where in the page: `page:line`. */
  at: string;
  /** `TS2322: Type 'string | undefined' is not assignable...` */
  message: string;
}

/** The pages whose code blocks are compiled: every Markdown page under content/, and the README. */
export function docsPages(): string[] {
  return [...globSync('content/**/*.{md,mdx}', { cwd: root }).map((page) => page.split(sep).join('/')).sort(), 'README.md'];
}

/** `title="server.ts" wrap prelude=app` → `{ title: 'server.ts', wrap: true, prelude: 'app' }`. */
export function parseMeta(meta: string | null | undefined): Record<string, string | true> {
  const options: Record<string, string | true> = {};
  for (const [, key, quoted, bare] of (meta ?? '').matchAll(/([\w-]+)(?:=(?:"([^"]*)"|(\S+)))?/g)) {
    options[key!] = quoted ?? bare ?? true;
  }
  return options;
}

/** The TypeScript and JavaScript blocks of one Markdown text (parsed by a CommonMark parser, not a pattern). */
export function codeBlocksOf(page: string, markdown: string): DocsCodeBlock[] {
  const blocks: DocsCodeBlock[] = [];
  const visit = (node: { type: string; children?: unknown[] }): void => {
    if (node.type === 'code') {
      const code = node as Code;
      const lang = LANGUAGES[code.lang ?? ''];
      if (lang) blocks.push({ page, line: code.position!.start.line + 1, lang, meta: parseMeta(code.meta), code: code.value });
    }
    for (const child of node.children ?? []) visit(child as { type: string; children?: unknown[] });
  };
  // Front matter is not Markdown: blank it out, keeping its lines so line numbers stay the page's.
  visit(fromMarkdown(markdown.replace(/^---\n[\s\S]*?\n---\n/, (front) => front.replace(/[^\n]/g, ''))));
  return blocks;
}

export function collectBlocks(pages: string[] = docsPages()): DocsCodeBlock[] {
  return pages.flatMap((page) => codeBlocksOf(page, readFileSync(join(root, page), 'utf8')));
}

/** `paths` for the temporary project: every `sessionlab/*` entry point to its source, FluidAuth's names to the core. */
export function entryPointPaths(): Record<string, string[]> {
  const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const paths: Record<string, string[]> = {};
  for (const [subpath, target] of Object.entries(packageJson.exports)) {
    if (typeof target !== 'object' || target === null) continue;
    const source = (target as { default: string }).default.replace('./dist/', 'src/').replace(/\.js$/, '.ts');
    paths[subpath === '.' ? 'sessionlab' : `sessionlab/${subpath.slice(2)}`] = [join(root, source)];
  }
  const core = paths['sessionlab'];
  if (!core) throw new Error('package.json exports no "." entry point.');
  paths['@fluidauth/express'] = core;
  paths['@fluidauth/express/base'] = core;
  return paths;
}

interface Prepared {
  block: DocsCodeBlock;
  file: string;
  /** Lines added in front of the block (prelude, wrapper). */
  offset: number;
}

/** The text compiled for a block: its prelude (if any), then the block, wrapped in an ambient context if a signature. */
export function compiledText(block: DocsCodeBlock): { text: string; offset: number } {
  if (block.meta['prelude'] === true) throw new Error(`${block.page}:${block.line}: prelude= needs a name (a file in tests/support/docs-preludes/).`);
  const names = typeof block.meta['prelude'] === 'string' ? block.meta['prelude'].split(',') : [];
  const prelude = names.map((name) => readPrelude(name, block)).join('');
  if (block.meta['signature'] === true) {
    // A namespace is an ambient context: classes without bodies and consts without values are declarations there.
    const head = `${prelude}declare namespace Shown {\n`;
    return { text: `${head}${block.code}\n}\n`, offset: lineCount(head) };
  }
  return { text: `${prelude}${block.code}\n`, offset: lineCount(prelude) };
}

function readPrelude(name: string, block: DocsCodeBlock): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`${block.page}:${block.line}: bad prelude name "${name}".`);
  try {
    return `${readFileSync(join(preludes, `${name}.ts`), 'utf8').trimEnd()}\n`;
  } catch {
    throw new Error(`${block.page}:${block.line}: no prelude "${name}" in tests/support/docs-preludes/.`);
  }
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length - 1;
}

/**
 * A block that changes the global scope (`declare global`, or a library that augments Express's request) gets a
 * program of its own: its declarations must not make another block compile that would not on its own.
 */
export function needsOwnProgram(block: DocsCodeBlock): boolean {
  return /\bdeclare\s+global\b/.test(block.code) || /from\s+['"]express-session['"]/.test(block.code);
}

const COMPILER_OPTIONS = {
  strict: true,
  target: 'ES2023',
  module: 'preserve',
  moduleResolution: 'bundler',
  // Every block is a module of its own, as a file a reader pastes it into would be (with an import, it is anyway).
  moduleDetection: 'force',
  lib: ['ES2023', 'DOM', 'DOM.Iterable'],
  types: ['node'],
  noEmit: true,
  skipLibCheck: true,
  allowJs: true,
  checkJs: true,
  // The library's sources import each other with .ts extensions.
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
};

/** Compiles every block with `tsc --strict` and resolves to the errors, mapped to page and line. */
export async function compileBlocks(blocks: DocsCodeBlock[]): Promise<BlockError[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sessionlab-docs-blocks-'));
  try {
    // Express, redis, pg, vitest and their types resolve from the checkout's node_modules, as from an app's.
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    mkdirSync(join(dir, 'blocks'));
    cpSync(modules, join(dir, 'blocks'), { recursive: true });
    const prepared: Prepared[] = blocks.map((block, index) => {
      const slug = block.page.replace(/\.mdx?$/, '').replace(/[^\w]+/g, '-');
      const file = join(dir, 'blocks', `${slug}-L${block.line}-${index}.${block.lang}`);
      const { text, offset } = compiledText(block);
      writeFileSync(file, text);
      return { block, file, offset };
    });
    const shared = prepared.filter((entry) => !needsOwnProgram(entry.block));
    const programs = [shared, ...prepared.filter((entry) => needsOwnProgram(entry.block)).map((entry) => [entry])].filter((files) => files.length > 0);
    const paths = entryPointPaths();
    const errors: BlockError[] = [];
    let run = 0;
    for (let files of programs) {
      // tsc checks types only once every file parses: a block with a syntax error is reported, then left out,
      // so the others are still checked.
      while (files.length > 0) {
        const config = join(dir, `tsconfig.${run++}.json`);
        writeFileSync(config, JSON.stringify({ compilerOptions: { ...COMPILER_OPTIONS, paths }, files: files.map((entry) => entry.file) }, null, 2));
        const found = mapErrors(await runTsc(config), files);
        const unparsed = new Set(found.filter((error) => /^TS1\d{3}:/.test(error.message)).map((error) => error.block));
        // When some did not parse, their errors are final; the others' are not (types were not checked yet).
        errors.push(...(unparsed.size === 0 ? found : found.filter((error) => unparsed.has(error.block))));
        if (unparsed.size === 0) break;
        files = files.filter((entry) => !unparsed.has(entry.block));
      }
    }
    return errors;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runTsc(config: string): Promise<string> {
  const tsc = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
  return new Promise((resolve, reject) => {
    // tsc names files relative to the folder it runs in: the checkout, wherever that is.
    execFile(tsc, ['-p', config, '--pretty', 'false'], { cwd: root, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      // tsc exits with 2 when it found errors: that is an answer, not a failure to run.
      if (error && typeof error.code !== 'number') reject(error);
      else if (stderr.trim() !== '') reject(new Error(`tsc failed to run: ${stderr}`));
      else resolve(stdout);
    });
  });
}

/** `file(line,col): error TS1234: message` (and its indented continuation lines) → the block's page and line. */
function mapErrors(output: string, files: Prepared[]): BlockError[] {
  const byFile = new Map(files.map((entry) => [entry.file, entry]));
  const errors: BlockError[] = [];
  for (const [, file, line, column, message] of output.matchAll(/^(.+?)\((\d+),(\d+)\): error (TS\d+: .*(?:\n {2}.*)*)/gm)) {
    const entry = byFile.get(resolve(root, file!));
    if (!entry) {
      // An error outside the blocks (in the library's sources, or in a prelude of no block): report it as it is.
      errors.push({ block: files[0]!.block, at: `${relative(root, file!)}:${line}`, message: message!.trim() });
      continue;
    }
    const inBlock = Number(line) - entry.offset;
    const at = inBlock >= 1 ? `${entry.block.page}:${entry.block.line + inBlock - 1}:${column}` : `${entry.block.page}:${entry.block.line} (in prelude ${String(entry.block.meta['prelude'])}, line ${line})`;
    errors.push({ block: entry.block, at, message: message!.replace(/\n\s+/g, ' ').trim() });
  }
  return errors;
}
