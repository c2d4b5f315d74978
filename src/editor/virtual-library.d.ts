/** The library as the playground's editor sees it, generated at build time (library-plugin.ts). */
declare module 'virtual:sessionlab-playground/library' {
  /** Declarations for Monaco's TypeScript, each at its path under `file:///node_modules/`. */
  export const extraLibs: { path: string; content: string }[];
  /** Each module reader code may import, with the names of its runtime exports. */
  export const readerModules: { specifier: string; exports: string[] }[];
}
