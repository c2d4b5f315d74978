/**
 * The playground at work: the reader's code from the editor to a store serving the Lab, and to the
 * conformance checks, with everything that goes wrong on the way said in the reader's terms.
 *
 * Run: compile in Monaco's TypeScript worker → check the imports → two blob modules (module-urls.ts)
 * → the Lab's server worker loads them (`setStore({ kind: 'module' })`) and swaps its store without a
 * page reload. Run checks: the same, plus the conformance suite in a checks worker of its own.
 *
 * Reader code never runs on the page. It reports back over a BroadcastChannel (console output, which
 * store method runs), and the Lab's events say the rest (a method that threw, never settled, answered
 * nonsense; a store that did not start; a server that hung and was restarted).
 */
import { conformanceChecks } from '../session/conformance/index.ts';
import type { SimController, SimEvent, StoreChoice } from '../sim/protocol.ts';
import type { SessionLabElement } from '../components/lab/session-lab-element.ts';
import type { CheckResult } from '../exercises/exercise-check.ts';
import { runChecks, type CheckRunOutcome } from './check-runner.ts';
import { DraftStore } from './drafts.ts';
import type * as EditorModule from './editor.ts';
import type { CompileResult, Diagnostic, PlaygroundEditor } from './editor.ts';
import { ModuleUrls, type RunModule } from './module-urls.ts';
import { STARTERS, isPlaygroundLanguage, type PlaygroundLanguage } from './playground-code.ts';
import type { PlaygroundElement } from './playground-element.ts';
import { exportedClassName, findMethodLine, lineInMessage, problemOf, type Problem } from './playground-messages.ts';
import { decodeShare, encodeShare } from './share-link.ts';

/** Real ms after the last keystroke before the code is saved by itself. */
const AUTOSAVE_MS = 800;
const MEMORY: { choice: StoreChoice; label: string } = { choice: { kind: 'memory' }, label: 'MemoryStore' };
/** How many of the reader's stores that worked are kept to fall back to (the newest). */
const FALLBACKS_KEPT = 3;
const LEVELS = new Map(conformanceChecks.map((check) => [check.id, check.level]));

type Tone = 'idle' | 'busy' | 'ok' | 'error';

interface RunningStore {
  run: number;
  choice: StoreChoice;
  label: string;
}

/** What the runtime in a worker reports (reader-runtime.js). */
type RuntimeReport =
  | { source: 'server' | 'checks'; run: number; time: number; type: 'console'; level: string; text: string; line: number | null }
  | { source: 'server' | 'checks'; run: number; type: 'call'; id: number; method: string }
  | { source: 'server' | 'checks'; run: number; type: 'return'; id: number };

export async function startPlayground(element: PlaygroundElement, editorModule: typeof EditorModule): Promise<PlaygroundApp> {
  const app = new PlaygroundApp(element, editorModule);
  await app.start();
  return app;
}

export class PlaygroundApp {
  readonly #element: PlaygroundElement;
  readonly #editorModule: typeof EditorModule;
  readonly #key: string;
  readonly #drafts = new DraftStore();
  readonly #urls: ModuleUrls;
  readonly #channelName = `sessionlab-playground-${crypto.randomUUID()}`;
  readonly #channel: BroadcastChannel;
  readonly #disconnect = new AbortController();
  #editor: PlaygroundEditor | null = null;
  #lab: SessionLabElement | null = null;
  #controller: SimController | null = null;
  #unsubscribe: (() => void) | null = null;
  #runs = 0;
  /** The reader's store the server runs now, and the last few before it that loaded and never failed (newest last). */
  #current: RunningStore | null = null;
  #good: RunningStore[] = [];
  /** Each Run's modules, until nothing will load them again (#releaseModules). */
  readonly #modules = new Map<number, RunModule>();
  /** Runs whose modules are being loaded now: by the Lab's server (a Run) or by the checks. */
  readonly #loading = new Set<number>();
  readonly #readerLabels = new Set<string>();
  /** Store calls the server has started and not finished, by "run:id". */
  readonly #serverCalls = new Map<string, string>();
  #running: Promise<void> | null = null;
  /** Settles once the Lab beside the editor runs (or failed to start). */
  #labReady: Promise<void> = Promise.resolve();
  #runAgain = false;
  #checking = false;
  #autosave: ReturnType<typeof setTimeout> | undefined;
  #lastProblem: { key: string; item: HTMLLIElement; count: number } | null = null;
  /** The last compile, reused while the code is unchanged. */
  #compiled: { language: PlaygroundLanguage; code: string; result: CompileResult } | null = null;

  constructor(element: PlaygroundElement, editorModule: typeof EditorModule) {
    this.#element = element;
    this.#editorModule = editorModule;
    this.#key = element.dataset['key'] ?? 'playground';
    this.#urls = new ModuleUrls(editorModule.readerModules);
    this.#channel = new BroadcastChannel(this.#channelName);
    this.#channel.addEventListener('message', (event: MessageEvent<RuntimeReport>) => this.#report(event.data));
  }

  // ---------- For tests, and pages that embed the playground ----------

  get editor(): PlaygroundEditor {
    if (!this.#editor) throw new Error('The playground has not started.');
    return this.#editor;
  }

  /** The code of the language shown. */
  getCode(): string {
    return this.editor.getValue();
  }

  /** Replaces the code of the language shown, as one edit Ctrl+Z undoes. */
  setCode(code: string): void {
    this.editor.replaceAll(code);
  }

  // ---------- Start ----------

  async start(): Promise<void> {
    const draft = await this.#drafts.load(this.#key);
    const language: PlaygroundLanguage = draft && isPlaygroundLanguage(draft.language) ? draft.language : 'typescript';
    const host = this.#part('editor');
    this.#element.querySelector('[data-pg="editor-loading"]')?.remove();
    this.#editor = this.#editorModule.mountEditor({
      host,
      language,
      code: {
        typescript: draft?.code.typescript ?? STARTERS.typescript,
        javascript: draft?.code.javascript ?? STARTERS.javascript,
      },
      onRun: () => void this.run(),
      onSave: () => void this.save(),
    });
    performance.mark('playground:editor-ready');
    this.#showLanguage(language);
    this.#wire();
    const shared = await this.#openShared();
    for (const button of this.#element.querySelectorAll<HTMLElement>('[data-pg="run"], [data-pg="checks"], [data-pg="reset"], [data-pg="share"]')) {
      button.removeAttribute('aria-disabled');
    }
    this.#status(shared ? 'Opened the code from a share link. Compiling it…' : 'Compiling your store…', 'busy');
    // Run once at the start: the Lab serves the code in the editor, and the TypeScript worker is warm for the next Run.
    this.#labReady = this.#connectLab();
    void this.#labReady.then(() => this.run());
  }

  dispose(): void {
    this.#disconnect.abort();
    this.#unsubscribe?.();
    this.#channel.close();
    clearTimeout(this.#autosave);
    this.#editor?.dispose();
  }

  // ---------- Run ----------

  /** Compiles the code and runs the Lab's server on it. A Run asked for while one runs happens right after it. */
  run(): Promise<void> {
    if (this.#running) {
      this.#runAgain = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#runAgain = false;
        const done = await this.#runOnce();
        if (done) this.#doneWith(done.run);
      } while (this.#runAgain);
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #runOnce(): Promise<{ run: number; entryUrl: string } | null> {
    const started = performance.now();
    const prepared = await this.#prepare();
    if (!prepared) return null;
    const { run, label, entryUrl, compiled } = prepared;
    const choice: StoreChoice = { kind: 'module', url: entryUrl, label };
    this.#status(`Starting the server on ${label}…`, 'busy');
    await this.#labReady;
    await this.#lab?.useStore(choice, label);
    const servingMs = performance.now() - started;
    if (this.#controller?.options.store === choice) {
      const store: RunningStore = { run, choice, label };
      this.#current = store;
      this.#good = [...this.#good, store].slice(-FALLBACKS_KEPT);
      performance.mark('playground:serving', { detail: { run, ms: servingMs } });
      this.#element.dataset['servingMs'] = String(Math.round(servingMs));
      const compiling = compiled.ms === 0 ? 'code unchanged' : `compiled in ${Math.round(compiled.ms)} ms`;
      this.#part('timing').textContent = `Run ${run}: ${compiling}, serving ${Math.round(servingMs)} ms after Run.`;
      const typeErrors = compiled.diagnostics.filter((d) => d.severity === 'error').length;
      this.#status(
        typeErrors > 0
          ? `${label} runs in the Lab, with ${typeErrors} type ${typeErrors === 1 ? 'error' : 'errors'} (underlined in red): it may fail at run time.`
          : `${label} runs in the Lab. Sign in there and watch its calls in the timeline, or press Run checks.`,
        typeErrors > 0 ? 'idle' : 'ok',
      );
      this.#log({ tone: 'info', source: 'run', title: `Run ${run}: ${label} is serving the Lab.`, detail: '', hint: '', line: null });
    } else {
      this.#status(`${label} did not start; the Lab still runs on ${this.#current?.label ?? MEMORY.label}. See Output.`, 'error');
      this.#element.show('output');
    }
    return { run, entryUrl };
  }

  /** Compiles, and makes the Run's modules; null (with the problems shown) when the code cannot run. */
  async #prepare(): Promise<{ run: number; label: string; entryUrl: string; compiled: Extract<CompileResult, { ok: true }> } | null> {
    this.#status('Compiling…', 'busy');
    const compiled = await this.#compile();
    if (!compiled.ok) {
      const blocking = compiled.diagnostics.filter((d) => d.syntax);
      const first = blocking[0];
      this.#status(
        `Not run: fix the ${blocking.length === 1 ? 'error' : `${blocking.length} errors`} marked in the editor first${first ? ` (line ${first.line}: ${first.message})` : ''}.`,
        'error',
      );
      for (const diagnostic of blocking) this.#logDiagnostic(diagnostic);
      return null;
    }
    const run = ++this.#runs;
    const name = exportedClassName(this.editor.getValue()) ?? 'Your store';
    const label = `${name} (run ${run})`;
    this.#readerLabels.add(label);
    const modules = this.#urls.forRun({ code: compiled.code, imports: compiled.imports, table: compiled.table, run, channel: this.#channelName });
    this.#modules.set(run, modules);
    this.#loading.add(run);
    return { run, label, entryUrl: modules.entryUrl, compiled };
  }

  async #compile(): Promise<CompileResult> {
    const language = this.editor.language;
    const code = this.editor.getValue();
    // The code did not change since the last compile: nothing to compile.
    if (this.#compiled && this.#compiled.language === language && this.#compiled.code === code) return { ...this.#compiled.result, ms: 0 };
    const result = await this.editor.compile((specifier) => this.#urls.has(specifier), this.#urls.available);
    this.#compiled = { language, code, result };
    return result;
  }

  /** `run`'s modules are not being loaded any more; free those of the Runs nothing will load again. */
  #doneWith(run: number): void {
    this.#loading.delete(run);
    this.#releaseModules();
  }

  /** Revokes the modules of every Run that is not serving the Lab, not kept to fall back to, and not being loaded. */
  #releaseModules(): void {
    const kept = new Set([this.#current, ...this.#good].map((store) => store?.run));
    for (const [run, modules] of this.#modules) {
      if (kept.has(run) || this.#loading.has(run)) continue;
      modules.revoke();
      this.#modules.delete(run);
    }
  }

  // ---------- Checks ----------

  /** Runs the code (the Lab serves it) and the conformance checks on it, in a worker of their own. */
  async runChecks(): Promise<CheckRunOutcome | null> {
    if (this.#checking) return null;
    this.#checking = true;
    const button = this.#part('checks');
    button.setAttribute('aria-disabled', 'true');
    button.dataset['busy'] = '';
    button.textContent = 'Checking…';
    let prepared: { run: number; entryUrl: string } | null = null;
    try {
      await this.#running;
      this.#element.show('checks');
      prepared = await this.#runOnceForChecks();
      if (!prepared) return null;
      this.#renderChecksWaiting();
      this.#checksSummary('Running the checks on your store…');
      const started = performance.now();
      const outcome = await runChecks({
        suite: { kind: 'conformance' },
        entryUrl: prepared.entryUrl,
        // Fewer checks than an exercise has: a run that takes longer has gone wrong.
        totalMs: 90_000,
        onLoaded: (store, checks) => this.#checksSummary(`Running ${checks.length} checks on ${store}, each on a fresh store…`),
        onStart: (id) => this.#checkLine(id)?.setAttribute('data-state', 'running'),
        onResult: (result) => this.#renderCheck(result),
        onReport: (report) => this.#report(report as RuntimeReport),
      });
      performance.mark('playground:checks-done', { detail: { ms: performance.now() - started } });
      this.#summarizeChecks(outcome);
      return outcome;
    } finally {
      if (prepared) this.#doneWith(prepared.run);
      this.#checking = false;
      button.removeAttribute('aria-disabled');
      delete button.dataset['busy'];
      button.textContent = 'Run checks';
    }
  }

  /** Run, for the checks: the Lab and the checks get the same code. */
  async #runOnceForChecks(): Promise<{ run: number; entryUrl: string } | null> {
    const done = await this.#runOnce();
    if (!done) this.#checksSummary('Not checked: the code has errors (see the status line and Output).');
    return done;
  }

  #renderChecksWaiting(): void {
    for (const level of ['required', 'recommended'] as const) {
      const list = this.#part(`checks-${level}`);
      list.replaceChildren(
        ...conformanceChecks
          .filter((check) => check.level === level)
          .map((check) => {
            const item = document.createElement('li');
            item.className = 'pg-check';
            item.dataset['check'] = check.id;
            item.dataset['state'] = 'waiting';
            item.append(icon('waiting'), textElement('span', 'pg-check-title', check.title));
            return item;
          }),
      );
    }
  }

  #checkLine(id: string): HTMLLIElement | null {
    return this.#element.querySelector<HTMLLIElement>(`[data-check="${CSS.escape(id)}"]`);
  }

  #renderCheck(result: CheckResult): void {
    const item = this.#checkLine(result.id);
    if (!item) return;
    const state = result.passed ? 'pass' : result.skipped ? 'skip' : 'fail';
    item.dataset['state'] = state;
    const body = document.createElement('div');
    body.className = 'pg-check-body';
    body.append(textElement('span', 'pg-check-title', result.title));
    if (!result.passed) {
      const message = result.skipped ?? result.message ?? '';
      body.append(textElement('p', 'pg-check-message', message));
      if (!result.skipped && result.hint) body.append(textElement('p', 'pg-check-hint', result.hint));
      const line = lineInMessage(message);
      if (line !== null) body.append(this.#lineButton(line, message));
    }
    item.replaceChildren(icon(state), body);
    item.setAttribute('aria-label', `${result.title}: ${state === 'pass' ? 'passed' : state === 'skip' ? 'not run' : 'failed'}`);
  }

  #summarizeChecks(outcome: CheckRunOutcome): void {
    if (outcome.kind === 'failed') {
      this.#checksSummary(`Not checked: ${outcome.message}`, 'bad');
      for (const item of this.#element.querySelectorAll<HTMLElement>('.pg-check')) item.dataset['state'] = 'skip';
      const line = lineInMessage(outcome.message);
      this.#log({ tone: 'error', source: 'checks', title: 'The checks could not run your store', detail: outcome.message, hint: '', line });
      return;
    }
    const count = (level: 'required' | 'recommended') => {
      const ofLevel = outcome.results.filter((result) => LEVELS.get(result.id) === level);
      return `${ofLevel.filter((result) => result.passed).length} of ${ofLevel.length}`;
    };
    const requiredFailed = outcome.results.some((result) => LEVELS.get(result.id) === 'required' && !result.passed);
    const stuck = outcome.kind === 'stuck' ? ' The checks were stopped: your store stopped answering.' : '';
    this.#checksSummary(
      `Required: ${count('required')} passed. Recommended: ${count('recommended')} passed.${stuck}${requiredFailed ? '' : ' Every required check passes.'}`,
      requiredFailed ? 'bad' : 'good',
    );
    this.#element.notify('checks', requiredFailed ? '!' : '✓');
  }

  #checksSummary(text: string, tone: 'neutral' | 'good' | 'bad' = 'neutral'): void {
    const summary = this.#part('checks-summary');
    summary.textContent = text;
    summary.dataset['tone'] = tone;
  }

  // ---------- Comfort: save, reset, share, languages ----------

  /** Saves the code of both languages for this page. */
  async save(manual = true): Promise<void> {
    clearTimeout(this.#autosave);
    const saved = this.#part('saved');
    try {
      await this.#drafts.save(this.#key, {
        language: this.editor.language,
        code: { typescript: this.editor.getValue('typescript'), javascript: this.editor.getValue('javascript') },
        savedAt: new Date().toISOString(),
      });
      saved.textContent = `Saved ${new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}${manual ? '' : ' (as you type)'}.`;
    } catch (error) {
      saved.textContent = `Not saved: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Puts the starter back, as one edit: Ctrl+Z in the editor brings the reader's code back. */
  reset(): void {
    this.editor.replaceAll(STARTERS[this.editor.language]);
    this.#status('Back to the starter. Changed your mind? Ctrl+Z in the editor brings your code back.', 'idle');
    this.editor.focus();
  }

  /** A link that carries the code; copied to the clipboard when the browser allows. */
  async share(): Promise<string> {
    const fragment = await encodeShare({ language: this.editor.language, code: this.editor.getValue() });
    const link = `${location.origin}${location.pathname}${location.search}${fragment}`;
    const box = this.#part('share-box');
    const field = this.#part<HTMLInputElement>('share-link');
    const note = this.#part('share-note');
    box.hidden = false;
    field.value = link;
    field.focus();
    field.select();
    try {
      await navigator.clipboard.writeText(link);
      note.textContent = `Copied to the clipboard (${link.length} characters). Anyone who opens it gets this code, nothing else.`;
    } catch {
      note.textContent = 'Copy the link from the field (the browser did not let the page copy it).';
    }
    return link;
  }

  /** Code from a share link (the URL fragment): replaces the current code as one undoable edit. */
  async #openShared(): Promise<boolean> {
    const shared = await decodeShare(location.hash);
    if (!shared) return false;
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    this.#showLanguage(shared.language);
    this.editor.setLanguage(shared.language);
    if (this.editor.getValue() !== shared.code) this.editor.replaceAll(shared.code);
    await this.save(false);
    this.#status('Opened the code from a share link. Ctrl+Z in the editor brings back what you had.', 'idle');
    return true;
  }

  #setLanguage(language: PlaygroundLanguage): void {
    if (language === this.editor.language) return;
    this.editor.setLanguage(language);
    this.#showLanguage(language);
    void this.save(false);
    this.#status(`${language === 'typescript' ? 'TypeScript' : 'JavaScript'}: your code in it is kept apart. Press Run to run it.`, 'idle');
  }

  #showLanguage(language: PlaygroundLanguage): void {
    const radio = this.#element.querySelector<HTMLInputElement>(`[data-pg="languages"] input[value="${language}"]`);
    if (radio) radio.checked = true;
    this.#element.dataset['language'] = language;
  }

  // ---------- The Lab ----------

  async #connectLab(): Promise<void> {
    const lab = this.#element.querySelector('session-lab');
    if (!lab) return;
    await customElements.whenDefined('session-lab');
    this.#lab = lab;
    try {
      this.#controller = await lab.simulation();
    } catch (error) {
      this.#status(`The Lab did not start: ${error instanceof Error ? error.message : String(error)}`, 'error');
      return;
    }
    this.#unsubscribe = this.#controller.subscribe((event) => {
      if (event) this.#onEvent(event);
    });
  }

  #onEvent(event: SimEvent): void {
    if (event.kind === 'server' && (event.step === 'restarted' || event.step === 'started')) this.#serverCalls.clear();
    // Store calls concern the reader only while the server runs the reader's store.
    if (event.kind === 'session' && this.#controller?.options.store.kind !== 'module') return;
    const problem = problemOf(event, {
      isReaderStore: (label) => this.#readerLabels.has(label),
      methodLine: (method) => findMethodLine(this.editor.getValue(), method),
      stuckMethod: () => [...this.#serverCalls.values()].at(-1) ?? null,
      fallbackLabel: () => this.#fallback(event).label,
    });
    if (!problem) return;
    // A store that failed while serving is no store to fall back to.
    if (event.kind === 'session' && this.#current) this.#good = this.#good.filter((store) => store !== this.#current);
    this.#logProblem(problem, 'server');
    if (event.kind === 'server' && event.step === 'timeout') void this.#fallBack(event);
  }

  /** The store to run after `event`'s store hung: the newest good one before it, or a MemoryStore. */
  #fallback(event: SimEvent): { choice: StoreChoice; label: string } {
    const hung = event.kind === 'server' ? event.store : '';
    return [...this.#good].reverse().find((store) => store.label !== hung) ?? MEMORY;
  }

  /** A store of the reader's hung: the server goes back to the last store that did not. */
  async #fallBack(event: Extract<SimEvent, { kind: 'server' }>): Promise<void> {
    const next = this.#fallback(event);
    this.#good = this.#good.filter((store) => store.label !== event.store);
    if (this.#current?.label === event.store) this.#current = null;
    await this.#lab?.useStore(next.choice, next.label);
    if (this.#controller?.options.store === next.choice) this.#current = this.#good.find((store) => store.choice === next.choice) ?? null;
    this.#releaseModules();
    this.#status(`${event.store} stopped answering; the Lab now runs on ${next.label}. Fix the code and press Run.`, 'error');
  }

  // ---------- Output ----------

  #report(report: RuntimeReport): void {
    if (!report || typeof report !== 'object') return;
    if (report.type === 'call') {
      if (report.source === 'server') this.#serverCalls.set(`${report.run}:${report.id}`, report.method);
      return;
    }
    if (report.type === 'return') {
      this.#serverCalls.delete(`${report.run}:${report.id}`);
      return;
    }
    if (report.type === 'console') {
      const tone = report.level === 'error' ? 'error' : report.level === 'warn' ? 'warning' : 'log';
      this.#log({ tone, source: report.source, title: report.text, detail: '', hint: '', line: report.line, level: report.level, time: report.time });
    }
  }

  #logDiagnostic(diagnostic: Diagnostic): void {
    this.#log({ tone: 'error', source: 'compile', title: `Line ${diagnostic.line}: ${diagnostic.message}`, detail: '', hint: '', line: diagnostic.line });
  }

  #logProblem(problem: Problem, source: string): void {
    this.#log({ ...problem, source });
    if (problem.line !== null) this.editor.markRuntimeLine(problem.line, `${problem.title}: ${problem.detail}`);
    this.#element.notify('output', '!');
  }

  #log(entry: { tone: Problem['tone'] | 'info' | 'log'; source: string; title: string; detail: string; hint: string; line: number | null; level?: string; time?: number }): void {
    const list = this.#part('log');
    this.#element.querySelector('[data-pg="log-empty"]')?.remove();
    // The same problem again (every request fails the same way): count it instead of repeating it.
    const key = `${entry.tone}|${entry.source}|${entry.title}|${entry.detail}`;
    if (entry.tone !== 'log' && entry.tone !== 'info' && this.#lastProblem?.key === key && list.lastElementChild === this.#lastProblem.item) {
      this.#lastProblem.count++;
      const counter = this.#lastProblem.item.querySelector('.pg-entry-count');
      if (counter) {
        counter.textContent = `×${this.#lastProblem.count}`;
        (counter as HTMLElement).hidden = false;
      }
      return;
    }
    const item = document.createElement('li');
    item.className = 'ui-row pg-entry';
    item.dataset['tone'] = entry.tone;
    if (entry.level) item.dataset['level'] = entry.level;
    const body = document.createElement('div');
    body.className = 'pg-entry-body';
    body.append(textElement(entry.tone === 'log' ? 'pre' : 'p', 'pg-entry-title', entry.title));
    if (entry.detail) body.append(textElement('p', 'pg-entry-detail', entry.detail));
    if (entry.hint) body.append(textElement('p', 'pg-entry-hint', entry.hint));
    const count = textElement('span', 'pg-entry-count', '');
    count.hidden = true;
    item.append(textElement('span', 'pg-entry-source', entry.source), body, count);
    if (entry.line !== null) item.append(this.#lineButton(entry.line, entry.title));
    // In the order things happened: console output crosses from the worker on another channel than
    // the Lab's events, and may arrive after the failure it led to.
    const time = entry.time ?? performance.timeOrigin + performance.now();
    item.dataset['time'] = String(time);
    let before: Element | null = null;
    for (let previous = list.lastElementChild; previous && Number((previous as HTMLElement).dataset['time']) > time; previous = previous.previousElementSibling) before = previous;
    list.insertBefore(item, before);
    // Keep the newest in view, unless the reader scrolled up to read.
    const pane = list.closest<HTMLElement>('.pg-output');
    if (pane && pane.scrollHeight - pane.scrollTop - pane.clientHeight < 120) pane.scrollTop = pane.scrollHeight;
    if (list.children.length > 500) list.firstElementChild?.remove();
    this.#lastProblem = entry.tone === 'log' || entry.tone === 'info' ? null : { key, item, count: 1 };
  }

  #lineButton(line: number, message: string): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'pg-line';
    button.textContent = `Line ${line}`;
    button.setAttribute('aria-label', `Show line ${line} in the editor`);
    button.addEventListener('click', () => {
      this.#element.show('code');
      this.editor.markRuntimeLine(line, message);
      this.editor.revealLine(line);
    });
    return button;
  }

  // ---------- Wiring ----------

  #wire(): void {
    const { signal } = this.#disconnect;
    const on = (name: string, action: () => unknown): void => {
      this.#part(name).addEventListener(
        'click',
        (event) => {
          if ((event.currentTarget as HTMLElement).getAttribute('aria-disabled') === 'true') return;
          void action();
        },
        { signal },
      );
    };
    on('run', () => this.run());
    on('checks', () => this.runChecks());
    on('reset', () => this.reset());
    on('share', () => this.share());
    on('clear', () => {
      this.#part('log').replaceChildren();
      this.#lastProblem = null;
    });
    this.#part('languages').addEventListener(
      'change',
      (event) => {
        const value = (event.target as HTMLInputElement).value;
        if (isPlaygroundLanguage(value)) this.#setLanguage(value);
      },
      { signal },
    );
    // The shortcuts work anywhere in the playground; inside the editor, Monaco handles them (editor.ts).
    this.#element.addEventListener(
      'keydown',
      (event) => {
        if (!(event.ctrlKey || event.metaKey) || (event.target as Element).closest('[data-pg="editor"]')) return;
        if (event.key === 'Enter') {
          event.preventDefault();
          void this.run();
        } else if (event.key.toLowerCase() === 's') {
          event.preventDefault();
          void this.save();
        }
      },
      { signal },
    );
    this.editor.onChange(() => {
      clearTimeout(this.#autosave);
      this.#part('saved').textContent = 'Not saved yet.';
      this.#autosave = setTimeout(() => void this.save(false), AUTOSAVE_MS);
    });
    window.addEventListener('hashchange', () => void this.#openShared(), { signal });
  }

  #status(text: string, tone: Tone): void {
    this.#part('status-text').textContent = text;
    this.#part('status').dataset['tone'] = tone;
  }

  #part<T extends HTMLElement = HTMLElement>(name: string): T {
    const part = this.#element.querySelector<T>(`[data-pg="${name}"]`);
    if (!part) throw new Error(`The playground's markup has no [data-pg="${name}"].`);
    return part;
  }
}

function textElement(tag: string, className: string, text: string): HTMLElement {
  const element = document.createElement(tag);
  element.className = className;
  element.textContent = text;
  return element;
}

function icon(state: 'pass' | 'fail' | 'skip' | 'waiting'): HTMLElement {
  const mark = { pass: '✓', fail: '✗', skip: '–', waiting: '·' }[state];
  const element = textElement('span', 'pg-check-icon', mark);
  element.setAttribute('aria-hidden', 'true');
  return element;
}
