/**
 * The published package works for a consumer: `npm pack` from a checkout with no build in it (the
 * `prepack` script builds the library), lint the tarball with publint and are-the-types-wrong,
 * install it into an empty project, then import it from Node and type-check a consumer file against
 * its .d.ts files.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let consumer: string;
let tarball: string;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// Each test runs a packer or a linter over the tarball: seconds of work, more on a busy machine.
describe('the packed tarball', { timeout: 60_000 }, () => {
  beforeAll(() => {
    consumer = mkdtempSync(join(tmpdir(), 'sessionlab-consumer-'));
    // As on a fresh clone: no dist/ at all, so only `prepack` can put the library in the tarball.
    rmSync(join(root, 'dist'), { recursive: true, force: true });
    const [packed] = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', consumer], root)) as [{ filename: string; files: { path: string }[] }];
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    tarball = join(consumer, packed.filename);
    run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], consumer);
  }, 180_000);

  afterAll(() => {
    if (consumer) rmSync(consumer, { recursive: true, force: true });
  });

  it('ships only the built library, with types, and no sources or tests', () => {
    const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules/sessionlab/package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(Object.keys(manifest.exports)).toEqual(expect.arrayContaining(['.', './fetch', './conformance']));
    const files = run('find', ['.', '-type', 'f'], join(consumer, 'node_modules/sessionlab')).split('\n').filter(Boolean);
    expect(files).toContain('./dist/session/index.js');
    expect(files).toContain('./dist/session/index.d.ts');
    expect(files.filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((file) => file.includes('tests/') || file.includes('content/'))).toEqual([]);
  });

  it('passes publint, warnings included', () => {
    const publint = join(root, 'node_modules/.bin/publint');
    const output = run(publint, ['run', '--strict', tarball], consumer);
    expect(output).toContain('All good!');
  });

  it('resolves every entry point with types under are-the-types-wrong (ESM-only profile)', () => {
    // ESM-only by design (Node 22.12+ can require() it), so node10 and CommonJS-from-node16 are out of scope.
    const attw = join(root, 'node_modules/.bin/attw');
    let output: string;
    try {
      output = run(attw, [tarball, '--profile', 'esm-only', '--format', 'json'], consumer);
    } catch (error) {
      output = String((error as { stdout?: unknown }).stdout ?? '');
    }
    const report = JSON.parse(output) as {
      analysis: { types: unknown };
      problems?: Record<string, { entrypoint: string; resolutionKind?: string; kind: string }[]>;
    };
    // A package without declarations has no problems to report, only `types: false`.
    expect(report.analysis.types).toBeTruthy();
    const ignored = new Set(['node10', 'node16-cjs']);
    const problems = Object.values(report.problems ?? {})
      .flat()
      .filter((problem) => !problem.resolutionKind || !ignored.has(problem.resolutionKind))
      .map((problem) => `${problem.kind} at ${problem.entrypoint} (${problem.resolutionKind ?? 'all'})`);
    expect(problems).toEqual([]);
  });

  it('runs a login round trip from Node through `import ... from "sessionlab"`', () => {
    writeFileSync(
      join(consumer, 'check.mjs'),
      `import { Session, MemoryStore, BaseSessionStore } from 'sessionlab';
       import { withSession } from 'sessionlab/fetch';
       import { runConformance } from 'sessionlab/conformance';
       const session = new Session({ secret: 'a-consumer-secret-of-sufficient-length', cleanInterval: false });
       const app = withSession(session, async (request, { session }) => {
         if (new URL(request.url).pathname === '/login') await session.login('ada');
         return Response.json({ user: session.userId });
       });
       const login = await app(new Request('https://x.example/login'));
       const cookie = login.headers.get('set-cookie').split(';')[0];
       const me = await (await app(new Request('https://x.example/me', { headers: { cookie } }))).json();
       const results = await runConformance({ createStore: () => new MemoryStore() });
       console.log(JSON.stringify({ user: me.user, base: typeof BaseSessionStore, passed: results.every((r) => r.passed) }));`,
    );
    expect(JSON.parse(run(process.execPath, ['check.mjs'], consumer))).toEqual({ user: 'ada', base: 'function', passed: true });
  });

  it('type-checks a TypeScript consumer against the shipped declarations', () => {
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', strict: true, noEmit: true, types: [], lib: ['es2023', 'dom'] } }),
    );
    writeFileSync(
      join(consumer, 'consumer.ts'),
      `import { BaseSessionStore, Session, type ISessionData } from 'sessionlab';
       import { withSession } from 'sessionlab/fetch';
       class MyStore extends BaseSessionStore {
         db = new Map<string, ISessionData>();
         create(data: ISessionData): void { this.db.set(data.sessionId, data); }
         get(id: string): ISessionData | null { return this.db.get(id) ?? null; }
         update(id: string, data: ISessionData): void { if (this.db.has(id)) this.db.set(id, data); }
         delete(id: string): void { this.db.delete(id); }
         clean(): void {}
       }
       const session = new Session({ secret: 'packaged-test-secret-0123456789abcdef', store: new MyStore() });
       export const app = withSession(session, (_request, { session }) => Response.json({ user: session.userId }));
       // @ts-expect-error: the options type rejects unknown names
       new Session({ secret: 'packaged-test-secret-0123456789abcdef', sessionDurration: 5 });`,
    );
    const tsc = join(root, 'node_modules/.bin/tsc');
    expect(() => run(tsc, ['-p', 'tsconfig.json'], consumer)).not.toThrow();
  });
});
