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
 * Each line a step prints is prefixed with its step's name. At the end, before the summary, the run lists its
 * slowest end-to-end tests (from Playwright's JSON results), so that each run shows where the time went.
 * `npm run test:unit` and the other step scripts still run one layer alone.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * Where the end-to-end step writes each test's outcome and duration (Playwright's JSON reporter, told by
 * PLAYWRIGHT_JSON_OUTPUT_FILE); one file per E2E_PORT, so two runs on one machine keep theirs apart.
 */
const e2eResultsFile = join(root, 'build', process.env['E2E_PORT'] ? `e2e-results-${process.env['E2E_PORT']}.json` : 'e2e-results.json');
/** How many of the slowest end-to-end tests the run lists at its end. */
const SLOWEST_SHOWN = 10;

interface Step {
  name: string;
  /** An npm script of package.json. */
  script: string;
  /** Added to the environment the script runs in. */
  env?: Record<string, string>;
}

interface Outcome {
  name: string;
  code: number;
  seconds: number;
  /** When the step started, in ms since the epoch. */
  started: number;
}

/** Runs one npm script, prefixing each line it prints; resolves with its exit code and duration. */
function run(step: Step): Promise<Outcome> {
  const started = performance.now();
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', '--silent', step.script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...step.env } });
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
    const finish = (code: number) => resolve({ name: step.name, code, seconds: (performance.now() - started) / 1000, started: startedAt });
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
    lane([{ name: 'e2e', script: 'test:e2e', env: { PLAYWRIGHT_JSON_OUTPUT_FILE: e2eResultsFile } }], { stopOnFailure: false }),
  ]);
  outcomes.push(...lanes.flat());
}

/** The parts of Playwright's JSON report read here: suites nest; a spec runs once per project, each run a test. */
interface JsonSuite {
  title: string;
  suites?: JsonSuite[];
  specs?: { title: string; file: string; line: number; tests: { projectName: string; results: { duration: number }[] }[] }[];
}

/**
 * The slowest end-to-end tests of this run, from the results file the e2e step wrote, so that every run
 * says where the lane's time went. Says so, and no more, when there is no fresh file to read.
 */
function slowestE2eTests(since: number): string {
  const shown = relative(root, e2eResultsFile);
  let report: { suites: JsonSuite[] };
  try {
    // A file older than the step is a previous run's: the step failed before Playwright wrote one.
    if (statSync(e2eResultsFile).mtimeMs < since) return `\nNo end-to-end results from this run in ${shown}.\n`;
    report = JSON.parse(readFileSync(e2eResultsFile, 'utf8')) as { suites: JsonSuite[] };
  } catch (error) {
    return `\nNo end-to-end results to read in ${shown}: ${error instanceof Error ? error.message : String(error)}\n`;
  }
  const tests: { title: string; seconds: number }[] = [];
  const walk = (suite: JsonSuite, path: string[]) => {
    const inner = suite.title && !suite.title.endsWith('.spec.ts') ? [...path, suite.title] : path;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        const milliseconds = test.results.reduce((sum, result) => sum + result.duration, 0);
        tests.push({ title: `${spec.file}:${spec.line} [${test.projectName}] ${[...inner, spec.title].join(' › ')}`, seconds: milliseconds / 1000 });
      }
    }
    for (const child of suite.suites ?? []) walk(child, inner);
  };
  for (const suite of report.suites) walk(suite, []);
  tests.sort((a, b) => b.seconds - a.seconds);
  const total = tests.reduce((sum, test) => sum + test.seconds, 0);
  const lines = tests.slice(0, SLOWEST_SHOWN).map(({ title, seconds }) => {
    const line = `  ${seconds.toFixed(1).padStart(6)} s  ${title}`;
    return line.length > 160 ? `${line.slice(0, 159)}…` : line;
  });
  return `\nSlowest end-to-end tests (${tests.length} tests, ${total.toFixed(0)} s of test time in all; each test's results in ${shown})\n${lines.join('\n')}\n`;
}

const failed = outcomes.filter((outcome) => outcome.code !== 0);
const e2e = outcomes.find((outcome) => outcome.name === 'e2e');
if (e2e) process.stdout.write(slowestE2eTests(e2e.started));
process.stdout.write('\nSummary\n');
for (const outcome of outcomes) {
  process.stdout.write(`  ${outcome.code === 0 ? 'ok  ' : 'FAIL'} ${outcome.name.padEnd(9)} ${outcome.seconds.toFixed(0).padStart(4)} s\n`);
}
process.stdout.write(`  total ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
process.exit(failed.length === 0 ? 0 : 1);
