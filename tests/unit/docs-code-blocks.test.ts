/**
 * Every TypeScript and JavaScript code block on the site (content/**\/*.md and .mdx) and in the README compiles
 * under `tsc --strict`, as a reader would paste it. A block that is deliberately partial says so in its fence meta
 * (`prelude=NAME`, `signature`) and compiles against that declared context: see tests/support/docs-code-blocks.ts.
 *
 * A complete program says `run` in its fence meta, and runs here too: imported as a module, it must not throw.
 * `run=fetch-login` is a server whose default export has a `fetch` method (Deno, Bun, Workers): a POST to /login
 * must set a session cookie, and a request that sends it back must find the user signed in.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { collectBlocks, compileBlocks, docsPages, entryPointPaths, type BlockError, type DocsCodeBlock } from '../support/docs-code-blocks.ts';


/** Blocks that check the checker: one that must fail as a reader's project would, one that must pass with its prelude. */
const PROBES: DocsCodeBlock[] = [
  {
    page: 'probe/missing-secret.md',
    line: 10,
    lang: 'ts',
    meta: {},
    code: "import { Session } from 'sessionlab';\n\nconst sessions = new Session({ secret: process.env.SESSION_SECRET });\n",
  },
  {
    page: 'probe/with-prelude.md',
    line: 20,
    lang: 'ts',
    meta: { prelude: 'sessions' },
    code: "const handle = await sessions.load({ cookie: null, url: 'https://example.com/' });\nhandle.isAuthenticated();\n",
  },
  {
    page: 'probe/without-prelude.md',
    line: 30,
    lang: 'ts',
    meta: {},
    code: "const handle = await sessions.load({ cookie: null, url: 'https://example.com/' });\n",
  },
];

const blocks = collectBlocks();
let errors: BlockError[] = [];

beforeAll(async () => {
  errors = await compileBlocks([...blocks, ...PROBES]);
}, 120_000);

const errorsOf = (page: string): string[] => errors.filter((error) => error.block.page === page).map((error) => `${error.at} ${error.message}`);

describe('the code blocks of the docs', () => {
  it('are found on the pages that have them', () => {
    expect(blocks.length).toBeGreaterThan(100);
    expect(new Set(blocks.map((block) => block.page))).toContain('README.md');
    expect(new Set(blocks.map((block) => block.page))).toContain('content/docs/start/getting-started.mdx');
  });

  it('compile nothing outside the blocks with errors (the library itself, the preludes)', () => {
    expect(errors.filter((error) => !error.at.startsWith(error.block.page)).map((error) => `${error.at} ${error.message}`)).toEqual([]);
  });

  for (const page of docsPages()) {
    if (!blocks.some((block) => block.page === page)) continue;
    it(`${page}: every block compiles under tsc --strict`, () => {
      const found = errorsOf(page);
      expect(found, `\n${found.join('\n')}\n`).toEqual([]);
    });
  }
});

describe('the prelude of signature blocks', () => {
  it('imports from every entry point in package.json, so each reference page can name its types', () => {
    const prelude = readFileSync(new URL('../support/docs-preludes/api.ts', import.meta.url), 'utf8');
    const imported = new Set([...prelude.matchAll(/from '(sessionlab(?:\/[\w-]+)?)'/g)].map(([, specifier]) => specifier));
    expect(Object.keys(entryPointPaths()).filter((specifier) => specifier.startsWith('sessionlab') && !imported.has(specifier))).toEqual([]);
  });
});

describe('the checker itself', () => {
  it('fails a block as a strict project would, at the page and line of the mistake', () => {
    expect(errorsOf('probe/missing-secret.md')).toEqual([
      expect.stringMatching(/^probe\/missing-secret\.md:12:\d+ TS2322: Type 'string \| undefined' is not assignable/),
    ]);
  });

  it('compiles a partial block against the context its prelude declares, and not without it', () => {
    expect(errorsOf('probe/with-prelude.md')).toEqual([]);
    expect(errorsOf('probe/without-prelude.md')).toEqual([expect.stringMatching(/^probe\/without-prelude\.md:30:\d+ TS2304: Cannot find name 'sessions'/)]);
  });
});

describe('the code blocks of the docs that are complete programs', () => {
  const runnable = blocks.filter((block) => block.meta['run'] !== undefined);
  const dir = mkdtempSync(join(tmpdir(), 'sessionlab-docs-run-'));
  const secret = process.env['SESSION_SECRET'];

  beforeAll(() => {
    process.env['SESSION_SECRET'] = 'a-secret-for-the-docs-examples-0001';
  });
  afterAll(() => {
    if (secret === undefined) delete process.env['SESSION_SECRET'];
    else process.env['SESSION_SECRET'] = secret;
    rmSync(dir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  it('are marked on the pages that have them, and stand alone', () => {
    expect(runnable.length).toBeGreaterThan(0);
    expect(runnable.filter((block) => block.meta['prelude'] !== undefined || block.meta['signature'] !== undefined).map((block) => `${block.page}:${block.line}`)).toEqual([]);
  });

  for (const [index, block] of runnable.entries()) {
    it(`${block.page}:${block.line} runs${block.meta['run'] === 'fetch-login' ? ', and signs a user in through its fetch handler' : ''}`, async () => {
      vi.spyOn(console, 'log').mockImplementation(() => {});
      const file = join(dir, `block-${index}.${block.lang}`);
      writeFileSync(file, block.code);
      const module = (await import(/* @vite-ignore */ file)) as { default?: { fetch?: (request: Request) => Promise<Response> } };
      if (block.meta['run'] !== 'fetch-login') return;
      const fetch = module.default?.fetch;
      expect(typeof fetch).toBe('function');
      const login = await fetch!(new Request('http://localhost:8000/login', { method: 'POST' }));
      const setCookie = login.headers.get('set-cookie');
      expect(setCookie).toMatch(/^session=[^;]+;.*HttpOnly/);
      const me = await fetch!(new Request('http://localhost:8000/', { headers: { cookie: setCookie!.split(';')[0]! } }));
      expect(((await me.json()) as { user: unknown }).user).toEqual(expect.any(String));
    });
  }
});
