/**
 * The modules a reader's store may import, and how a worker offers them to it.
 *
 * Module workers have no import maps, so a reader's `import { BaseSessionStore } from "sessionlab"`
 * cannot resolve by itself. The worker that runs reader code puts these modules in a registry on its
 * global object; the playground rewrites each allowed import to a tiny module that reads its exports
 * from there. Reader code therefore shares the worker's own copy of the library: one
 * `BaseSessionStore`, one virtual `Date`.
 */
import * as idb from 'idb';
import * as sessionlab from '../session/index.ts';

/** Every module name reader code may import, and what it gets. FluidAuth's names give the core, as they do in tsconfig.json. */
export const READER_MODULES = {
  sessionlab,
  '@fluidauth/express': sessionlab,
  '@fluidauth/express/base': sessionlab,
  idb,
} as const satisfies Record<string, object>;

export type ReaderModuleName = keyof typeof READER_MODULES;

/** The registry's key on the worker's global object (`globalThis[Symbol.for(READER_MODULES_KEY)]`). */
export const READER_MODULES_KEY = 'sessionlab.reader-modules';

/** Makes `READER_MODULES` available to reader code loaded into this worker. */
export function provideReaderModules(): void {
  Object.defineProperty(globalThis, Symbol.for(READER_MODULES_KEY), { value: READER_MODULES, configurable: true });
}
