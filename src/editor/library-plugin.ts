/**
 * A Vite plugin that gives the playground the library as reader code sees it, generated at build time
 * from the source (never a hand-copied `.d.ts`):
 *
 * - `extraLibs`: the declarations of `sessionlab` (emitted by `tsc --emitDeclarationOnly` from
 *   src/session/index.ts), FluidAuth's two module names over them, and idb's own declarations, each at
 *   the path under `file:///node_modules/` where Monaco's TypeScript resolves the import.
 * - `readerModules`: for each module reader code may import, the names of its runtime exports, read
 *   from the very registry the workers install (src/sim/reader-modules.ts), so the playground can
 *   build the small modules that hand them over.
 *
 * Both come from the virtual module `virtual:sessionlab-playground/library`; only the editor's
 * chunk (editor.ts, shared by the playground and the exercise pages) imports it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'vite';

const VIRTUAL_ID = 'virtual:sessionlab-playground/library';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SESSION_DIR = join(ROOT, 'src', 'session');
const REGISTRY = join(ROOT, 'src', 'sim', 'reader-modules.ts');

export interface ExtraLib {
  /** Where Monaco's TypeScript finds it, e.g. `file:///node_modules/sessionlab/index.d.ts`. */
  path: string;
  content: string;
}

export interface PlaygroundLibrary {
  extraLibs: ExtraLib[];
  readerModules: { specifier: string; exports: string[] }[];
}

export function playgroundLibrary(): Plugin {
  return {
    name: 'sessionlab:playground-library',
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : null;
    },
    async load(id) {
      if (id !== RESOLVED_ID) return null;
      // A change to the library's source regenerates its declarations (dev server and watch builds).
      for (const file of sourceFiles(SESSION_DIR)) this.addWatchFile(file);
      const library: PlaygroundLibrary = { extraLibs: extraLibs(), readerModules: await readerModules() };
      return [
        `export const extraLibs = ${JSON.stringify(library.extraLibs)};`,
        `export const readerModules = ${JSON.stringify(library.readerModules)};`,
      ].join('\n');
    },
  };
}

/** The declarations Monaco gets: the library's, generated now, FluidAuth's names for it, and idb's. */
export function extraLibs(): ExtraLib[] {
  const libs: ExtraLib[] = [];
  for (const [file, content] of libraryDeclarations()) {
    libs.push({ path: `file:///node_modules/sessionlab/${file}`, content });
  }
  // FluidAuth's module names give the core, exactly as tsconfig.json's paths do.
  const reexport = "export * from 'sessionlab';\n";
  libs.push({ path: 'file:///node_modules/@fluidauth/express/index.d.ts', content: reexport });
  libs.push({ path: 'file:///node_modules/@fluidauth/express/base.d.ts', content: reexport });

  const require = createRequire(import.meta.url);
  const idbBuild = join(require.resolve('idb/package.json'), '..', 'build');
  for (const file of readdirSync(idbBuild).filter((name) => name.endsWith('.d.ts'))) {
    libs.push({ path: `file:///node_modules/idb/build/${file}`, content: readFileSync(join(idbBuild, file), 'utf8') });
  }
  // Monaco's resolver does not read package.json "types": point the package root at the build.
  libs.push({ path: 'file:///node_modules/idb/index.d.ts', content: "export * from './build/index.js';\n" });
  return libs;
}

/**
 * Runs TypeScript's compiler on src/session/index.ts and returns every `.d.ts` it emits (its import
 * graph: never the Node-only stores), by path relative to src/session. Relative imports end in `.js`
 * afterwards: Monaco's TypeScript maps `./x.js` to `./x.d.ts`, while `./x.ts` would stay unresolved.
 */
function libraryDeclarations(): Map<string, string> {
  const out = mkdtempSync(join(tmpdir(), 'sessionlab-dts-'));
  try {
    // The compiler's launcher, by its package's `bin` (the package's exports do not list it).
    const tsc = join(createRequire(import.meta.url).resolve('typescript/package.json'), '..', 'bin', 'tsc');
    // prettier-ignore
    const args = [
      tsc, '--ignoreConfig', join(SESSION_DIR, 'index.ts'),
      '--declaration', '--emitDeclarationOnly', '--outDir', out, '--rootDir', SESSION_DIR,
      '--target', 'es2023', '--lib', 'es2023,dom', '--types', '',
      '--module', 'preserve', '--moduleResolution', 'bundler', '--allowImportingTsExtensions', '--rewriteRelativeImportExtensions',
      '--strict', '--exactOptionalPropertyTypes', '--skipLibCheck',
    ];
    try {
      execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'pipe' });
    } catch (error) {
      const output = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
      throw new Error(`The playground's declarations of sessionlab could not be generated (tsc on src/session/index.ts):\n${output}`);
    }
    const declarations = new Map<string, string>();
    for (const file of sourceFiles(out)) {
      const name = relative(out, file).split(sep).join('/');
      declarations.set(name, readFileSync(file, 'utf8').replace(/(['"])(\.{1,2}\/[^'"]+)\.ts\1/g, '$1$2.js$1'));
    }
    if (!declarations.has('index.d.ts')) throw new Error('tsc emitted no index.d.ts for src/session/index.ts.');
    return declarations;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The runtime exports of each module reader code may import, from the registry the workers install. */
async function readerModules(): Promise<PlaygroundLibrary['readerModules']> {
  const registry = (await import(pathToFileURL(REGISTRY).href)) as { READER_MODULES: Record<string, object> };
  return Object.entries(registry.READER_MODULES).map(([specifier, module]) => ({
    specifier,
    exports: Object.keys(module).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name)),
  }));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}
