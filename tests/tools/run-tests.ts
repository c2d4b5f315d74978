/**
 * `npm test`: every layer of tests, in the shortest wall-clock time two cores allow.
 *
 * First, in order: a Chromium must exist, then the type check (`astro sync` writes the content types the
 * type check and the site builds read, so nothing else runs while it does). Then two lanes at once:
 *
 *   node lane:  unit tests, then browser tests (Vitest), the second also when the first fails
 *   site lane:  end-to-end tests (Playwright; its web servers build the site twice before the first test)
 *
 * The site builds are mostly single-threaded and the browser tests mostly wait on Chromium, so the lanes
 * overlap well; every lane runs to its end even when the other fails, and the run fails when any step did.
 * Each line a step prints is prefixed with its step's name. `npm run test:unit` and the other step scripts
 * still run one layer alone.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Step {
  name: string;
  /** An npm script of package.json. */
  script: string;
}

interface Outcome {
  name: string;
  code: number;
  seconds: number;
}

/** Runs one npm script, prefixing each line it prints; resolves with its exit code and duration. */
function run(step: Step): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', '--silent', step.script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const prefix = `[${step.name}] `;
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      let pending = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) out.write(`${prefix}${line}\n`);
      });
      stream.on('end', () => {
        if (pending) out.write(`${prefix}${pending}\n`);
      });
    }
    const finish = (code: number) => resolve({ name: step.name, code, seconds: (performance.now() - started) / 1000 });
    child.on('error', (error) => {
      process.stderr.write(`${prefix}could not start: ${error.message}\n`);
      finish(1);
    });
    child.on('close', (code, signal) => finish(code ?? (signal ? 1 : 0)));
  });
}

/** Runs steps one after the other; with `stopOnFailure`, none after the first that fails. */
async function lane(steps: Step[], { stopOnFailure }: { stopOnFailure: boolean }): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const step of steps) {
    const outcome = await run(step);
    outcomes.push(outcome);
    if (stopOnFailure && outcome.code !== 0) break;
  }
  return outcomes;
}

const started = performance.now();
const outcomes = await lane([
  { name: 'browser?', script: 'test:check-browser' },
  { name: 'types', script: 'typecheck' },
], { stopOnFailure: true });
if (outcomes.every((outcome) => outcome.code === 0)) {
  const lanes = await Promise.all([
    lane(
      [
        { name: 'unit', script: 'test:unit' },
        { name: 'browser', script: 'test:browser' },
      ],
      { stopOnFailure: false },
    ),
    lane([{ name: 'e2e', script: 'test:e2e' }], { stopOnFailure: false }),
  ]);
  outcomes.push(...lanes.flat());
}

const failed = outcomes.filter((outcome) => outcome.code !== 0);
process.stdout.write('\nSummary\n');
for (const outcome of outcomes) {
  process.stdout.write(`  ${outcome.code === 0 ? 'ok  ' : 'FAIL'} ${outcome.name.padEnd(9)} ${outcome.seconds.toFixed(0).padStart(4)} s\n`);
}
process.stdout.write(`  total ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
process.exit(failed.length === 0 ? 0 : 1);
