/**
 * The compatibility run: the conformance suite, through `ConnectStoreBridge`, against real installs
 * of express-session stores. Its report is data (tests/compat/results.json), from which the docs
 * page renders the table; tests/unit/compat-table.test.ts re-runs it and compares verdicts.
 */
import { runConformance, type CheckLevel } from '../../src/session/conformance/index.ts';
import { installedVersion, Services, SUBJECTS, type CompatSubject } from './subjects.ts';

/** How long one check may take before it fails. */
export const CHECK_DEADLINE_MS = 120_000;

/** One check's verdict for one store. */
export interface CompatCheck {
  id: string;
  title: string;
  level: CheckLevel;
  passed: boolean;
  /** The optional method the store does not offer, when the check needs one (then it neither passed nor failed). */
  notOffered?: string;
  /** What went wrong, when it failed. */
  message?: string;
}

/** One store's row of the table. */
export interface CompatStore {
  id: string;
  package: string;
  /** The installed version of the package. */
  version: string;
  /** The backend it ran on, when it has one. */
  backend?: string;
  setup: string;
  checks: CompatCheck[];
}

export interface CompatReport {
  /** When the run finished (ISO 8601). */
  date: string;
  /** `process.version` of the run. */
  node: string;
  /** The version of express-session whose `Store` class every store extends. */
  expressSession: string;
  /** How long one check could take before it failed. */
  checkDeadlineMs: number;
  stores: CompatStore[];
}

export interface CompatRunOptions {
  /** Only these subjects, by id. Default: all. */
  only?: readonly string[];
  /** Called as each store's run begins. */
  onStore?: (subject: CompatSubject) => void;
}

/** Runs the suite against each subject, one after the other, and resolves to the report. */
export async function runCompat(options: CompatRunOptions = {}): Promise<CompatReport> {
  const subjects = options.only ? SUBJECTS.filter((subject) => options.only!.includes(subject.id)) : SUBJECTS;
  const unknown = (options.only ?? []).filter((id) => !SUBJECTS.some((subject) => subject.id === id));
  if (unknown.length > 0) throw new Error(`runCompat: no store has the id ${unknown.join(', ')}. Known: ${SUBJECTS.map((subject) => subject.id).join(', ')}.`);
  const services = new Services();
  const stores: CompatStore[] = [];
  try {
    for (const subject of subjects) {
      options.onStore?.(subject);
      const started = await subject.start(services);
      try {
        const results = await runConformance({
          createStore: () => started.createStore(),
          ...(started.disposeStore ? { disposeStore: started.disposeStore } : {}),
          // The table is about what each store does, not how fast this machine is: a deadline far
          // above any check's running time (session-file-store syncs every write to disk).
          timeoutMs: CHECK_DEADLINE_MS,
        });
        stores.push({
          id: subject.id,
          package: subject.package,
          version: installedVersion(subject.package),
          ...(started.backend ? { backend: started.backend } : {}),
          setup: subject.setup,
          checks: results.map(({ id, title, level, passed, notOffered, message }) => ({
            id,
            title,
            level,
            passed,
            ...(notOffered === undefined ? {} : { notOffered }),
            ...(message === undefined ? {} : { message }),
          })),
        });
      } finally {
        await started.stop();
      }
    }
  } finally {
    await services.stop();
  }
  return { date: new Date().toISOString(), node: process.version, expressSession: installedVersion('express-session'), checkDeadlineMs: CHECK_DEADLINE_MS, stores };
}

/** A check's verdict: passed, failed, or not offered (the store lacks the optional method it needs). */
export type CompatVerdict = 'passed' | 'failed' | 'not offered';

export function verdictOf(check: CompatCheck): CompatVerdict {
  return check.passed ? 'passed' : check.notOffered === undefined ? 'failed' : 'not offered';
}

/** What must not drift between two runs: per store, each check's id and its verdict. */
export function verdicts(report: Pick<CompatReport, 'stores'>): Record<string, Record<string, CompatVerdict>> {
  return Object.fromEntries(report.stores.map((store) => [store.id, Object.fromEntries(store.checks.map((check) => [check.id, verdictOf(check)]))]));
}
