/**
 * The layer rules of DESIGN.md, as a dependency-cruiser configuration. Run by
 * tests/unit/dependencies.test.ts, on a copy of src/ where every `.astro` file's imports are a
 * TypeScript module (tests/tools/astro-modules.mjs). By hand, for the TypeScript modules only:
 *   npx depcruise src --config tests/tools/dependency-rules.mjs
 *
 * Paths in the rules are relative to the folder the cruise starts from (the project root).
 */
import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

/**
 * The library's public entry points as source files: every `exports` target `./dist/session/X.js`
 * is built from `src/session/X.ts`. Read from package.json, so a new subpath needs no edit here.
 * @type {string[]}
 */
export const ENTRY_POINTS = Object.values(packageJson.exports)
  .map((target) => (typeof target === 'string' ? target : target.default))
  .filter((target) => /^\.\/dist\/session\/.+\.js$/.test(target))
  .map((target) => target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Site code: every folder of src/ except the library. */
const SITE = '^src/(?!session/)';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules import each other in a circle (type-only imports count too): split out what both need.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Two folders import each other (through any of their modules): one of them is a layer below the other, so move what the lower one needs into it, or into a folder both use.',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'library-imports-no-site-code',
      severity: 'error',
      comment: 'src/session is the published library: it may import itself, npm packages and node: builtins, nothing of the site.',
      from: { path: '^src/session/' },
      to: { pathNot: ['^src/session/', '(^|/)node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'site-uses-library-entry-points',
      severity: 'error',
      comment: `Site code imports the library only through its package entry points (${ENTRY_POINTS.join(', ')}).`,
      from: { path: SITE },
      to: { path: '^src/session/', pathNot: ENTRY_POINTS.map((entry) => `^${escape(entry)}$`) },
    },
    {
      name: 'playground-not-exercises',
      severity: 'error',
      comment: 'The playground and the exercises share code through folders of its own (src/checks, src/editor), not through each other.',
      from: { path: '^src/playground/' },
      to: { path: '^src/exercises/' },
    },
    {
      name: 'exercises-not-playground',
      severity: 'error',
      comment: 'The playground and the exercises share code through folders of its own (src/checks, src/editor), not through each other.',
      from: { path: '^src/exercises/' },
      to: { path: '^src/playground/' },
    },
  ],
  options: {
    // TypeScript 7 has no compiler API; swc parses the sources as written, types included. (The
    // fallback parser misses `export type { X } from`.) Type-only imports count: a type-only circle
    // still ties two modules together.
    parser: 'swc',
    tsPreCompilationDeps: true,
    doNotFollow: { path: '(^|/)node_modules/' },
    // npm packages resolve through their `exports` map, as the bundler and Node resolve them.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'browser', 'default', 'types'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
