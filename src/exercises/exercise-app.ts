/**
 * One exercise at work: the reader's code in the playground's editor, "Check" running the exercise's
 * checks on it in the checks worker the playground shares (src/checks/check-runner.ts), one line per check
 * with its verdict, message and hint, and the reader's progress recorded.
 *
 * The code goes the playground's way: compiled in Monaco's TypeScript worker (src/editor/editor.ts),
 * turned into modules a worker can import (src/editor/module-urls.ts). It never runs on the page.
 * The reader's code is kept per exercise (src/editor/drafts.ts); "Reset" and "Use the solution"
 * replace it as one edit that Ctrl+Z undoes, and the solution is shown beside it, never over it.
 */
import type { CompileResult, PlaygroundEditor } from '../editor/editor.ts';
import type * as EditorModule from '../editor/editor.ts';
import { DraftStore } from '../editor/drafts.ts';
import { ModuleUrls } from '../editor/module-urls.ts';
import { markBusy, wireEditorControls, type StatusTone } from '../editor/editor-controls.ts';
import { checkDetails, checkLine, markCheckLine, resetCheckLines, showSummary, skipCheckLines, type SummaryTone } from '../checks/check-list.ts';
import { runChecks, type CheckRunOutcome } from '../checks/check-runner.ts';
import type { CheckInfo, CheckResult } from '../checks/exercise-check.ts';
import { ProgressStore, type ExerciseProgress } from './exercise-progress.ts';

/** What the page tells the app about its exercise (a JSON script in the markup). */
export interface ExercisePageData {
  slug: string;
  title: string;
  starter: string;
  solution: string;
  checks: CheckInfo[];
}

/** Real ms after the last keystroke before the code is saved by itself. */
const AUTOSAVE_MS = 800;
/**
 * How long one check may wait for a store call to settle. Longer than the playground's 3 s: exercise checks
 * run up to twenty IndexedDB writers at once and restart stores, which a slow disk or a busy laptop can take
 * seconds over, and a check that fails for slowness would teach the wrong fault. A promise that never
 * settles still fails, and a loop is still stopped after 2.5 s without a pause.
 */
const CHECK_TIMEOUT_MS = 6000;
/** Under the check a store stuck in a loop was on. */
const STUCK_HINT = 'A loop whose condition never becomes false (while (true) { … }, a for loop that never reaches its end) blocks the whole worker. Fix it and check again.';

export async function startExercise(element: HTMLElement, editorModule: typeof EditorModule, data: ExercisePageData): Promise<ExerciseApp> {
  const app = new ExerciseApp(element, editorModule, data);
  await app.start();
  return app;
}

export class ExerciseApp {
  readonly #element: HTMLElement;
  readonly #editorModule: typeof EditorModule;
  readonly #data: ExercisePageData;
  readonly #drafts = new DraftStore();
  readonly #progress = new ProgressStore();
  readonly #urls: ModuleUrls;
  /** Reader code reports console output here when it runs outside the checks worker; the checks worker reports directly. */
  readonly #channelName = `sessionlab-exercise-${crypto.randomUUID()}`;
  readonly #disconnect = new AbortController();
  #editor: PlaygroundEditor | null = null;
  #runs = 0;
  /** Check runs finished (also when the code did not compile): `data-checks-done`, for tests to wait on. */
  #checksDone = 0;
  #checking: Promise<CheckRunOutcome | null> | null = null;
  #autosave: ReturnType<typeof setTimeout> | undefined;

  constructor(element: HTMLElement, editorModule: typeof EditorModule, data: ExercisePageData) {
    this.#element = element;
    this.#editorModule = editorModule;
    this.#data = data;
    this.#urls = new ModuleUrls(editorModule.readerModules);
  }

  // ---------- For tests ----------

  get editor(): PlaygroundEditor {
    if (!this.#editor) throw new Error('The exercise has not started.');
    return this.#editor;
  }

  getCode(): string {
    return this.editor.getValue();
  }

  /** Replaces the code, as one edit Ctrl+Z undoes. */
  setCode(code: string): void {
    this.editor.replaceAll(code);
  }

  // ---------- Start ----------

  async start(): Promise<void> {
    const draft = await this.#drafts.load(this.#key);
    this.#element.querySelector('[data-ex="editor-loading"]')?.remove();
    this.#editor = this.#editorModule.mountEditor({
      host: this.#part('editor'),
      language: 'typescript',
      code: { typescript: draft?.code.typescript ?? this.#data.starter, javascript: '' },
      onRun: () => void this.check(),
      onSave: () => void this.save(),
    });
    this.#wire();
    for (const button of this.#element.querySelectorAll<HTMLElement>('[data-ex-action]')) button.removeAttribute('aria-disabled');
    const progress = (await this.#progress.all()).get(this.#data.slug);
    this.#status(this.#welcome(progress, draft !== null), progress?.passed ? 'ok' : 'idle');
  }

  dispose(): void {
    this.#disconnect.abort();
    clearTimeout(this.#autosave);
    this.#editor?.dispose();
  }

  // ---------- Check ----------

  /** Compiles the code and runs the exercise's checks on it. Resolves to the outcome, or null when the code did not compile. */
  check(): Promise<CheckRunOutcome | null> {
    this.#checking ??= this.#check().finally(() => {
      this.#checking = null;
    });
    return this.#checking;
  }

  async #check(): Promise<CheckRunOutcome | null> {
    const done = markBusy(this.#part('check'));
    const started = performance.now();
    try {
      // What is checked is kept: the progress about to be recorded belongs to this code.
      await this.save(false);
      this.#status('Compiling…', 'busy');
      this.#renderWaiting();
      const compiled = await this.editor.compile((specifier) => this.#urls.has(specifier), this.#urls.available);
      if (!compiled.ok) {
        this.#notCompiled(compiled);
        return null;
      }
      const modules: { revoke(): void }[] = [];
      const entry = (): string => {
        const run = this.#urls.forRun({ code: compiled.code, imports: compiled.imports, table: compiled.table, run: ++this.#runs, channel: this.#channelName });
        modules.push(run);
        return run.entryUrl;
      };
      this.#status('Running the checks on your store…', 'busy');
      this.#summary(`Checking… 0 of ${this.#data.checks.length}`);
      let finished = 0;
      const outcome = await runChecks({
        suite: { kind: 'exercise', slug: this.#data.slug },
        checks: this.#data.checks,
        entryUrl: entry(),
        reload: entry,
        stuckHint: STUCK_HINT,
        checkTimeoutMs: CHECK_TIMEOUT_MS,
        onStart: (id) => this.#line(id)?.setAttribute('data-state', 'running'),
        onResult: (result) => {
          finished += 1;
          this.#renderResult(result);
          this.#summary(`Checking… ${finished} of ${this.#data.checks.length}`);
        },
      });
      for (const module of modules) module.revoke();
      this.#element.dataset['checkedMs'] = String(Math.round(performance.now() - started));
      await this.#finish(outcome, compiled);
      return outcome;
    } finally {
      done();
      this.#element.dataset['checksDone'] = String(++this.#checksDone);
    }
  }

  async #finish(outcome: CheckRunOutcome, compiled: Extract<CompileResult, { ok: true }>): Promise<void> {
    const total = this.#data.checks.length;
    if (outcome.kind === 'failed') {
      skipCheckLines(this.#element);
      this.#summary(`Not checked: ${outcome.message}`, 'bad');
      this.#status('Your store did not load, so no check could run. See the message under Checks.', 'error');
      await this.#record(0, total);
      return;
    }
    const passed = outcome.results.filter((result) => result.passed).length;
    const typeErrors = compiled.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
    const stuck = outcome.kind === 'stuck' ? ' The checks were stopped: your store stopped answering.' : '';
    if (passed === total) {
      this.#summary(`All ${total} checks pass.`, 'good');
      this.#status(`Solved: every check passes.${this.#nextHint()}`, 'ok');
    } else {
      this.#summary(`${passed} of ${total} checks pass.${stuck}`, 'bad');
      this.#status(
        `${total - passed} ${total - passed === 1 ? 'check fails' : 'checks fail'}: read the messages and hints under Checks.${typeErrors > 0 ? ` There ${typeErrors === 1 ? 'is 1 type error' : `are ${typeErrors} type errors`} in the editor, too.` : ''}`,
        'error',
      );
    }
    await this.#record(passed, total);
  }

  async #record(passed: number, total: number): Promise<ExerciseProgress | null> {
    try {
      return await this.#progress.record(this.#data.slug, { passed, total });
    } catch {
      return null; // no IndexedDB (a private window that refuses it): the checks still ran
    }
  }

  #notCompiled(compiled: Extract<CompileResult, { ok: false }>): void {
    const blocking = compiled.diagnostics.filter((diagnostic) => diagnostic.syntax);
    const first = blocking[0];
    const where = first ? ` (line ${first.line}: ${first.message})` : '';
    skipCheckLines(this.#element);
    this.#summary(`Not checked: the code does not compile${where}.`, 'bad');
    this.#status(`Fix the ${blocking.length === 1 ? 'error' : `${blocking.length} errors`} marked in the editor first${where}.`, 'error');
    if (first) this.editor.revealLine(first.line);
  }

  // ---------- Solution, reset, save ----------

  /** Shows the reference solution beside the editor (or the instructions again). Never touches the reader's code. */
  showSolution(show = this.#part('solution').hidden): void {
    this.#part('solution').hidden = !show;
    this.#part('instructions').hidden = show;
    const toggle = this.#part('toggle-solution');
    toggle.setAttribute('aria-expanded', String(show));
    toggle.textContent = show ? 'Show the instructions' : 'Show the solution';
    if (show) this.#part('solution').focus();
  }

  /** Puts the solution in the editor, as one edit: Ctrl+Z brings the reader's code back. */
  useSolution(): void {
    this.editor.replaceAll(this.#data.solution);
    this.#status('The solution is in the editor now. Ctrl+Z in the editor brings your own code back.', 'idle');
    this.editor.focus();
  }

  /** Puts the starter back, as one edit: Ctrl+Z brings the reader's code back. */
  reset(): void {
    this.editor.replaceAll(this.#data.starter);
    this.#status('Back to the starter. Changed your mind? Ctrl+Z in the editor brings your code back.', 'idle');
    this.editor.focus();
  }

  async save(manual = true): Promise<void> {
    clearTimeout(this.#autosave);
    const saved = this.#part('saved');
    try {
      await this.#drafts.save(this.#key, { language: 'typescript', code: { typescript: this.editor.getValue() }, savedAt: new Date().toISOString() });
      saved.textContent = `Saved ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}${manual ? '' : ' (as you type)'}.`;
    } catch (error) {
      saved.textContent = `Not saved: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  // ---------- Rendering ----------

  #renderWaiting(): void {
    resetCheckLines(this.#element, '.ex-check-detail');
    this.#summary('');
  }

  #renderResult(result: CheckResult): void {
    const item = this.#line(result.id);
    if (!item) return;
    markCheckLine(item, result);
    item.querySelector<HTMLElement>('.ex-check-detail')?.replaceChildren(...checkDetails(result, 'ex'));
  }

  #line(id: string): HTMLElement | null {
    return checkLine(this.#element, id);
  }

  #summary(text: string, tone: SummaryTone = 'neutral'): void {
    showSummary(this.#part('summary'), text, tone);
  }

  #status(text: string, tone: StatusTone): void {
    this.#part('status-text').textContent = text;
    this.#part('status').dataset['tone'] = tone;
  }

  #welcome(progress: ExerciseProgress | undefined, hasDraft: boolean): string {
    if (progress?.passed) return 'You have solved this exercise. Check again, or go on to the next one.';
    if (progress?.attempted) return `Your code from last time. Latest check: ${progress.lastPassed} of ${progress.lastTotal} passed.`;
    return hasDraft ? 'Your code from last time. Press Check when you are ready.' : 'Write your store in the editor, then press Check.';
  }

  #nextHint(): string {
    const next = this.#element.querySelector<HTMLAnchorElement>('[data-ex="next"]');
    return next ? ' On to the next exercise when you are ready.' : ' That was the last exercise.';
  }

  // ---------- Wiring ----------

  get #key(): string {
    return `exercise:${this.#data.slug}`;
  }

  #wire(): void {
    const { signal } = this.#disconnect;
    const actions: Record<string, () => unknown> = {
      check: () => this.check(),
      'toggle-solution': () => this.showSolution(),
      'use-solution': () => this.useSolution(),
      reset: () => this.reset(),
    };
    const buttons = [...this.#element.querySelectorAll<HTMLElement>('[data-ex-action]')].flatMap((button) => {
      const action = actions[button.dataset['exAction'] ?? ''];
      return action ? [[button, action] as const] : [];
    });
    wireEditorControls(this.#element, { buttons, editorHost: '[data-ex="editor"]', run: () => this.check(), save: () => this.save() }, signal);
    // Leaving within the autosave delay keeps the last keystrokes too.
    window.addEventListener('pagehide', () => void this.save(false), { signal });
    this.editor.onChange(() => {
      clearTimeout(this.#autosave);
      this.#part('saved').textContent = 'Not saved yet.';
      this.#autosave = setTimeout(() => void this.save(false), AUTOSAVE_MS);
    });
  }

  #part<T extends HTMLElement = HTMLElement>(name: string): T {
    const part = this.#element.querySelector<T>(`[data-ex="${name}"]`);
    if (!part) throw new Error(`The exercise's markup has no [data-ex="${name}"].`);
    return part;
  }
}
