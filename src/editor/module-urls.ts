/**
 * Turns compiled reader code into modules a worker can import: blob URLs, made on the page and loaded
 * by the server worker (`setStore({ kind: 'module', url })`) or by the checks worker.
 *
 * For each Run there are two: the reader's module, its imports pointed at the modules below, and an
 * entry module that sets the runtime up, loads the reader's module and exports the store class
 * (reader-runtime.js). Made once per page: the runtime, and one module per name reader code may
 * import, each handing over the exports the worker put in its registry (src/sim/reader-modules.ts).
 */
import runtimeSource from './reader-runtime.js?raw';
import { rewriteImports, type ModuleImport } from './module-imports.ts';
import type { LineTable } from './source-map.ts';

/** The key of the registry on a worker's global object (READER_MODULES_KEY in src/sim/reader-modules.ts). */
const REGISTRY_KEY = 'sessionlab.reader-modules';

export interface ReaderModuleSpec {
  specifier: string;
  /** Its runtime exports, by name. */
  exports: readonly string[];
}

/** A Run's modules. */
export interface RunModule {
  /** The module to import: its default export is the store class. */
  entryUrl: string;
  readerUrl: string;
  /**
   * Frees both URLs, once no worker will import them again. The playground keeps a Run's modules while
   * the Lab's server may run its store: the server imports them again each time it restarts on it.
   */
  revoke(): void;
}

export interface RunModuleOptions {
  /** The compiled reader code; every import in `imports` is one the page allows. */
  code: string;
  imports: readonly ModuleImport[];
  table: LineTable;
  run: number;
  /** The BroadcastChannel the runtime reports on. */
  channel: string;
}

export class ModuleUrls {
  readonly #runtimeUrl: string;
  /** The URL of each module reader code may import. */
  readonly #shims: Map<string, string>;

  constructor(modules: readonly ReaderModuleSpec[]) {
    this.#runtimeUrl = moduleUrl(runtimeSource);
    this.#shims = new Map(modules.map((module) => [module.specifier, moduleUrl(shimSource(module))]));
  }

  /** The names reader code may import. */
  get available(): string[] {
    return [...this.#shims.keys()];
  }

  has(specifier: string): boolean {
    return this.#shims.has(specifier);
  }

  /** The two modules of one Run. */
  forRun(options: RunModuleOptions): RunModule {
    const code = rewriteImports(options.code, options.imports, (specifier) => {
      const url = this.#shims.get(specifier);
      if (!url) throw new Error(`"${specifier}" is not a module reader code may import.`);
      return url;
    });
    const readerUrl = moduleUrl(code);
    const config = {
      channel: options.channel,
      run: options.run,
      readerUrl,
      table: options.table,
      modules: Object.fromEntries([...this.#shims].map(([specifier, url]) => [url, specifier])),
    };
    const entry = [
      `import { setUp, prepare, loadFailed } from ${JSON.stringify(this.#runtimeUrl)};`,
      `setUp(${JSON.stringify(config)});`,
      'let reader;',
      `try { reader = await import(${JSON.stringify(readerUrl)}); } catch (error) { throw loadFailed(error); }`,
      'export default prepare(reader);',
      '',
    ].join('\n');
    const entryUrl = moduleUrl(entry);
    return {
      entryUrl,
      readerUrl,
      revoke() {
        URL.revokeObjectURL(entryUrl);
        URL.revokeObjectURL(readerUrl);
      },
    };
  }
}

/** A module that re-exports, by name, what the worker's registry holds for `module.specifier`. */
function shimSource(module: ReaderModuleSpec): string {
  const registry = `globalThis[Symbol.for(${JSON.stringify(REGISTRY_KEY)})]`;
  const lines = [
    `const registry = ${registry};`,
    `if (!registry) throw new Error(${JSON.stringify(`"${module.specifier}" can only be imported in the playground's sandbox.`)});`,
    `const module = registry[${JSON.stringify(module.specifier)}];`,
  ];
  if (module.exports.length > 0) lines.push(`export const { ${module.exports.join(', ')} } = module;`);
  return `${lines.join('\n')}\n`;
}

function moduleUrl(source: string): string {
  return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
}
