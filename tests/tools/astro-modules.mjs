/**
 * dependency-cruiser reads no `.astro` file, so the layer rules would miss every import a page or an
 * island makes there. This makes a copy of a tree's `src/` that it can read: every `X.astro` becomes
 * `X.astro.ts` holding the imports Astro bundles from it (its frontmatter, and each `<script>` Astro
 * processes), and `import Y from './X.astro'` still resolves, to `X.astro.ts`. The rules then run on
 * the copy as they run on `src/`; `astroName()` turns a module name back into the file's own.
 *
 * The `.astro` files are parsed with Astro's own compiler (@astrojs/compiler-rs), never by pattern.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, globSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@astrojs/compiler-rs';

/**
 * An `.astro` file's imports as a TypeScript module: the import and export statements of its
 * frontmatter and of every `<script>` without attributes (Astro bundles those; one with attributes,
 * such as `is:inline`, it leaves alone) at the top, the rest of each inside an async function of its
 * own (a frontmatter may `return` and `await`), where dynamic imports are seen too.
 * @param {string} source the `.astro` file's text
 * @returns {string}
 */
export function astroAsTypeScript(source) {
  const { ast } = parse(source);
  const programs = [ast.frontmatter?.program];
  const visit = (node) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (node.type === 'JSXElement' && node.openingElement?.name?.name === 'script' && node.openingElement.attributes.length === 0) {
      for (const child of node.children) if (child.type === 'AstroScript') programs.push(child.program);
    }
    for (const [key, value] of Object.entries(node)) if (key !== 'frontmatter') visit(value);
  };
  visit(ast);
  const top = [];
  const bodies = [];
  for (const program of programs) {
    const rest = [];
    for (const statement of program?.body ?? []) {
      const text = source.slice(statement.start, statement.end);
      (/^(Import|Export)/.test(statement.type) ? top : rest).push(text);
    }
    if (rest.length > 0) bodies.push(`export async function part${bodies.length}() {\n${rest.join('\n')}\n}`);
  }
  return [...top, ...bodies].join('\n');
}

/**
 * A copy of `root`'s `src/` in a new temporary folder, with every `.astro` file as `.astro.ts`
 * (`astroAsTypeScript`) and the project's node_modules linked in, so npm packages resolve as they do there.
 * @param {string} root
 * @param {string} nodeModules the node_modules folder npm packages resolve from
 * @returns {{ dir: string, astroFiles: string[], dispose(): void }}
 */
export function cruisableCopy(root, nodeModules) {
  const dir = mkdtempSync(join(tmpdir(), 'sessionlab-layers-'));
  cpSync(join(root, 'src'), join(dir, 'src'), { recursive: true, filter: (path) => !path.endsWith('.astro') });
  symlinkSync(nodeModules, join(dir, 'node_modules'), 'dir');
  const astroFiles = globSync('src/**/*.astro', { cwd: root }).map((file) => file.split('\\').join('/'));
  for (const file of astroFiles) writeFileSync(join(dir, `${file}.ts`), astroAsTypeScript(readFileSync(join(root, file), 'utf8')));
  return { dir, astroFiles, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `src/pages/lab.astro.ts` → `src/pages/lab.astro`; any other name unchanged. */
export function astroName(name) {
  return name.replace(/\.astro\.ts$/, '.astro');
}
