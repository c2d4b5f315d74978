/**
 * The API reference cannot drift from the code: for every entry point in package.json's "exports", its page under
 * content/docs/reference/ has a `### \`Name\`` heading for each export (runtime values and types alike), and no
 * heading for a name the entry point does not export.
 *
 * Runtime exports come from importing the entry point; type exports from reading its source, whose export
 * statements are plain enough to list with a few patterns (and every runtime export must be found that way too,
 * which keeps the patterns honest).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };

const root = new URL('../../', import.meta.url);

interface EntryPoint {
  /** `sessionlab`, `sessionlab/fetch`, ... */
  specifier: string;
  source: URL;
  page: URL;
}

const entryPoints: EntryPoint[] = Object.entries(packageJson.exports)
  .filter((entry): entry is [string, { types: string; default: string }] => typeof entry[1] === 'object')
  .map(([subpath, target]) => {
    const name = subpath === '.' ? 'sessionlab' : subpath.slice(2);
    return {
      specifier: subpath === '.' ? 'sessionlab' : `sessionlab/${name}`,
      source: new URL(target.default.replace('./dist/', 'src/').replace(/\.js$/, '.ts'), root),
      page: new URL(`content/docs/reference/${name}.mdx`, root),
    };
  });

/** Every name a module's source exports, types included. */
function exportedNames(source: string): Set<string> {
  const names = new Set<string>();
  // export { A, B as C } from '...';   export type { D } from '...';   export { E };
  for (const [, list] of source.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)) {
    for (const part of list!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()?.replace(/^type\s+/, '').trim();
      if (name) names.add(name);
    }
  }
  // export class A / export abstract class B / export interface C / export type D = / export function E / export const F
  for (const [, name] of source.matchAll(
    /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:class|interface|type|function|const|let|enum)\s+([A-Za-z_$][\w$]*)/gm,
  )) {
    names.add(name!);
  }
  return names;
}

/** The names the page documents: its `### \`Name\`` headings. */
function documentedNames(page: string): Set<string> {
  return new Set([...page.matchAll(/^#{2,4}\s+`([^`]+)`\s*$/gm)].map(([, name]) => name!));
}

describe('the API reference', () => {
  it('has a page for every entry point in package.json', () => {
    expect(entryPoints.map((entry) => entry.specifier)).toEqual(
      expect.arrayContaining(['sessionlab', 'sessionlab/fetch', 'sessionlab/conformance']),
    );
    for (const entry of entryPoints) {
      expect(() => readFileSync(entry.page, 'utf8'), `missing page for ${entry.specifier}`).not.toThrow();
    }
  });

  for (const entry of entryPoints) {
    describe(entry.specifier, () => {
      it('documents every export under its own heading, and nothing it does not export', async () => {
        const runtime = Object.keys(await import(/* @vite-ignore */ fileURLToPath(entry.source)));
        const exported = exportedNames(readFileSync(entry.source, 'utf8'));
        expect(runtime.filter((name) => !exported.has(name)), 'runtime exports the source patterns missed').toEqual([]);

        const documented = documentedNames(readFileSync(entry.page, 'utf8'));
        expect([...exported].filter((name) => !documented.has(name)), `exports of ${entry.specifier} without a heading`).toEqual([]);
        expect([...documented].filter((name) => !exported.has(name)), `headings for names ${entry.specifier} does not export`).toEqual([]);
      });
    });
  }
});
