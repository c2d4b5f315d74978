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
 *
 * At start the code in the editor runs, unless it came from a share link and the reader has not run
 * it yet, or it hung when it last ran (code-keeper.ts): then it waits for Run. The parts: the draft and
 * share links (code-keeper.ts), the Lab (playground-lab.ts), the reader's stores it ran and how they
 * hang (served-stores.ts, store-watch.ts), the Output and Checks panes (playground-output.ts,
 * playground-checks-view.ts), problems in the reader's terms (reader-problems.ts) and the controls.
 */
import { conformanceChecks } from '../session/conformance/index.ts';
import type { StoreChoice } from '../sim/protocol.ts';
import { readRuntimeReport, type RuntimeReport } from '../checks/check-protocol.ts';
import { runChecks, type CheckRunOutcome } from '../checks/check-runner.ts';
import { CodeKeeper } from './code-keeper.ts';
import { DraftStore } from '../editor/drafts.ts';
import type * as EditorModule from '../editor/editor.ts';
import type { CompileResult, PlaygroundEditor } from '../editor/editor.ts';
import { isPlaygroundLanguage, type PlaygroundLanguage } from '../editor/editor-language.ts';
import { markBusy, type StatusTone } from '../editor/editor-controls.ts';
import { ModuleUrls } from '../editor/module-urls.ts';
import { ChecksView } from './playground-checks-view.ts';
import { STARTERS } from './playground-code.ts';
import type { PlaygroundHost } from './playground-host.ts';
import { PlaygroundLab } from './playground-lab.ts';
import { exportedClassName, type Problem } from './playground-messages.ts';
import { OutputPane } from './playground-output.ts';
import { wirePlayground } from './playground-wiring.ts';
import { ReaderProblems } from './reader-problems.ts';
import { MEMORY_STORE, ServedStores } from './served-stores.ts';
import { checkingHungStatus, hungAtStartStatus } from './hang-words.ts';
import { StoreWatch } from './store-watch.ts';

export async function startPlayground(element: PlaygroundHost, editorModule: typeof EditorModule): Promise<PlaygroundApp> {
  const app = new PlaygroundApp(element, editorModule);
  await app.start();
  return app;
}

export class PlaygroundApp {
  readonly #element: PlaygroundHost;
  readonly #editorModule: typeof EditorModule;
  readonly #key: string;
  readonly #drafts = new DraftStore();
  readonly #urls: ModuleUrls;
  readonly #channelName = `sessionlab-playground-${crypto.randomUUID()}`;
  readonly #channel: BroadcastChannel;
  readonly #disconnect = new AbortController();
  #editor: PlaygroundEditor | null = null;
  readonly #lab = new PlaygroundLab();
  #runs = 0;
  readonly #stores = new ServedStores();
  readonly #output: OutputPane;
  readonly #checksView: ChecksView;
  readonly #problems = new ReaderProblems({
    code: () => this.editor.getValue(),
    fallback: (hung) => this.#stores.fallbackFor(hung).described,
  });
  readonly #watch = new StoreWatch({
    stores: this.#stores,
    problems: this.#problems,
    servingReaderCode: () => this.#lab.servingReaderCode,
    useStore: (choice, label) => this.#lab.useStore(choice, label),
    markHung: (hung) => this.#keeper.markHung(hung),
    logProblem: (problem) => this.#logProblem(problem, 'server'),
    status: (text, tone) => this.#status(text, tone),
  });
  #running: Promise<void> | null = null;
  #runAgain = false;
  #checking = false;
  /** The draft, share links, and code from a link kept apart. */
  readonly #keeper: CodeKeeper;
  /** The last compile, reused while the code is unchanged. */
  #compiled: { language: PlaygroundLanguage; code: string; result: CompileResult } | null = null;

  constructor(element: PlaygroundHost, editorModule: typeof EditorModule) {
    this.#element = element;
    this.#editorModule = editorModule;
    this.#key = element.dataset['key'] ?? 'playground';
    this.#urls = new ModuleUrls(editorModule.readerModules);
    this.#channel = new BroadcastChannel(this.#channelName);
    // Reader code can post anything on this channel: only well-formed reports are read.
    this.#channel.addEventListener('message', (event: MessageEvent<unknown>) => {
      const report = readRuntimeReport(event.data);
      if (report) this.#report(report);
    });
    this.#output = new OutputPane(this.#part('log'), (line, message) => {
      this.#element.show('code');
      this.editor.markRuntimeLine(line, message);
      this.editor.revealLine(line);
    });
    this.#checksView = new ChecksView(element, { lineButton: (line, message) => this.#output.lineButton(line, message), log: (entry) => this.#output.log(entry) });
    this.#keeper = new CodeKeeper(this.#key, this.#drafts, {
      editor: () => this.editor,
      part: (name) => this.#part(name),
      status: (text, tone) => this.#status(text, tone),
      showLanguage: (language) => this.#showLanguage(language),
    });
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
    const waitForRun = await this.#keeper.opening(draft);
    for (const button of this.#element.querySelectorAll<HTMLElement>('[data-pg="run"], [data-pg="checks"], [data-pg="reset"], [data-pg="share"]')) {
      button.removeAttribute('aria-disabled');
    }
    const labReady = this.#lab.connect(
      this.#element,
      (event) => void this.#watch.onEvent(event),
      (message) => this.#status(`The Lab did not start: ${message}`, 'error'),
    );
    // Code from a link runs only when the reader presses Run; the Lab meanwhile runs on its own store.
    if (waitForRun) return;
    // Nor does code that hung when it last ran: a reload must not hang the Lab again.
    const hung = this.#keeper.hung;
    if (hung?.code === this.#codeKey()) {
      this.#stores.rememberHung(hung.code);
      this.#status(hungAtStartStatus(hung.method), 'error');
      return;
    }
    this.#status('Compiling your store…', 'busy');
    // Run once at the start: the Lab serves the code in the editor, and the TypeScript worker is warm for the next Run.
    void labReady.then(() => this.#run());
  }

  dispose(): void {
    this.#disconnect.abort();
    this.#lab.dispose();
    this.#channel.close();
    this.#keeper.dispose();
    this.#editor?.dispose();
  }

  // ---------- Run ----------

  /** The reader's Run: compiles the code and runs the Lab's server on it. A Run asked for while one runs happens right after it. */
  run(): Promise<void> {
    this.#keeper.ranOnPurpose();
    return this.#run();
  }

  #run(): Promise<void> {
    if (this.#running) {
      this.#runAgain = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#runAgain = false;
        const done = await this.#runOnce();
        if (done) this.#stores.doneWith(done.run);
      } while (this.#runAgain);
    })().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #runOnce(): Promise<{ run: number; entryUrl: string; label: string } | null> {
    const started = performance.now();
    const prepared = await this.#prepare();
    if (!prepared) return null;
    const { run, label, entryUrl, compiled } = prepared;
    const choice: StoreChoice = { kind: 'module', url: entryUrl, label };
    this.#status(`Starting the server on ${label}…`, 'busy');
    const serving = await this.#lab.useStore(choice, label);
    const servingMs = performance.now() - started;
    if (serving) {
      this.#stores.serving({ run, choice, label, code: prepared.code });
      performance.mark('playground:serving', { detail: { run, ms: servingMs } });
      this.#element.dataset['servingMs'] = String(Math.round(servingMs));
      const compiling = compiled.ms === 0 ? 'code unchanged' : `compiled in ${Math.round(compiled.ms)} ms`;
      this.#part('timing').textContent = `Run ${run}: ${compiling}, serving ${Math.round(servingMs)} ms after Run.`;
      const typeErrors = compiled.diagnostics.filter((d) => d.severity === 'error').length;
      this.#status(
        typeErrors > 0
          ? `${label} runs in the Lab, with ${typeErrors} type ${typeErrors === 1 ? 'error' : 'errors'} (underlined in red): it may fail at run time.${this.editor.language === 'typescript' ? ' Plain JavaScript? Choose JavaScript above the editor.' : ''}`
          : `${label} runs in the Lab. Sign in there and watch its calls in the timeline, or press Run checks.`,
        typeErrors > 0 ? 'idle' : 'ok',
      );
      this.#output.log({ tone: 'info', source: 'run', title: `Run ${run}: ${label} is serving the Lab.`, detail: '', hint: '', line: null });
    } else {
      this.#status(`${label} did not start; the Lab still runs on ${this.#stores.current?.label ?? MEMORY_STORE.label}. See Output.`, 'error');
      this.#element.show('output');
    }
    return { run, entryUrl, label };
  }

  /** Compiles, and makes the Run's modules; null (with the problems shown) when the code cannot run. */
  async #prepare(): Promise<{ run: number; label: string; entryUrl: string; code: string; compiled: Extract<CompileResult, { ok: true }> } | null> {
    this.#status('Compiling…', 'busy');
    const code = this.#codeKey();
    const compiled = await this.#compile();
    if (!compiled.ok) {
      const blocking = compiled.diagnostics.filter((d) => d.syntax);
      const first = blocking[0];
      this.#status(
        `Not run: fix the ${blocking.length === 1 ? 'error' : `${blocking.length} errors`} marked in the editor first${first ? ` (line ${first.line}: ${first.message})` : ''}.`,
        'error',
      );
      for (const diagnostic of blocking) this.#output.diagnostic(diagnostic);
      return null;
    }
    const run = ++this.#runs;
    const name = exportedClassName(this.editor.getValue()) ?? 'Your store';
    const label = `${name} (run ${run})`;
    this.#problems.readerStore(label);
    const modules = this.#urls.forRun({ code: compiled.code, imports: compiled.imports, table: compiled.table, run, channel: this.#channelName });
    this.#stores.loading(run, modules);
    return { run, label, entryUrl: modules.entryUrl, code, compiled };
  }

  /** The code in the editor with its language: what tells two Runs of the same code apart from others. */
  #codeKey(): string {
    return `${this.editor.language}\n${this.editor.getValue()}`;
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

  // ---------- Checks ----------

  /** Runs the code (the Lab serves it) and the conformance checks on it, in a worker of their own. */
  async runChecks(): Promise<CheckRunOutcome | null> {
    if (this.#checking) return null;
    this.#checking = true;
    this.#keeper.ranOnPurpose();
    const idle = markBusy(this.#part('checks'), 'Checking…');
    let prepared: { run: number; entryUrl: string } | null = null;
    try {
      await this.#running;
      this.#element.show('checks');
      const code = this.#codeKey();
      prepared = await this.#runOnceForChecks();
      if (!prepared) return null;
      this.#checksView.waiting();
      this.#checksView.summary('Running the checks on your store…');
      const started = performance.now();
      const outcome = await runChecks({
        suite: { kind: 'conformance' },
        checks: conformanceChecks,
        entryUrl: prepared.entryUrl,
        // Fewer checks than an exercise has: a run that takes longer has gone wrong.
        totalMs: 90_000,
        onLoaded: (store) => this.#checksView.summary(`Running ${conformanceChecks.length} checks on ${store}, each on a fresh store…`),
        onStart: (id) => this.#checksView.started(id),
        onResult: (result) => this.#checksView.result(result),
        onReport: (report) => this.#report(report),
      });
      performance.mark('playground:checks-done', { detail: { ms: performance.now() - started } });
      this.#checksView.finished(outcome, code);
      return outcome;
    } finally {
      if (prepared) this.#stores.doneWith(prepared.run);
      this.#checking = false;
      idle();
    }
  }

  /**
   * Run, for the checks: the Lab and the checks get the same code. The Lab is left as it is when it
   * already serves this code (the reader stays signed in there) or when the code hung it (only Run puts it back).
   */
  async #runOnceForChecks(): Promise<{ run: number; entryUrl: string } | null> {
    const code = this.#codeKey();
    const hung = this.#stores.isHung(code);
    const served = this.#stores.current?.code === code ? this.#stores.current : null;
    const done = hung || served ? await this.#prepare() : await this.#runOnce();
    if (done && hung) this.#status(checkingHungStatus(done.label, this.#stores.current?.label ?? MEMORY_STORE.label), 'error');
    if (done && served) this.#status(`${served.label} runs in the Lab, as it was; the checks run the same code in a worker of their own.`, 'ok');
    if (!done) this.#checksView.summary('Not checked: the code has errors (see the status line and Output).');
    return done;
  }

  // ---------- Comfort: save, reset, share, languages ----------

  /** Saves the code of both languages for this page (see CodeKeeper.save). */
  save(manual = true): Promise<void> {
    return this.#keeper.save(manual);
  }

  /** Puts the starter back, as one edit: Ctrl+Z in the editor brings the reader's code back. */
  reset(): void {
    this.editor.replaceAll(STARTERS[this.editor.language]);
    this.#status('Back to the starter. Changed your mind? Ctrl+Z in the editor brings your code back.', 'idle');
    this.editor.focus();
  }

  /** A link that carries the code; copied to the clipboard when the browser allows. */
  share(): Promise<string> {
    return this.#keeper.share();
  }

  #setLanguage(language: PlaygroundLanguage): void {
    if (language === this.editor.language) return;
    this.editor.setLanguage(language);
    this.#checksView.codeIs(this.#codeKey());
    this.#showLanguage(language);
    void this.save(false);
    this.#status(`${language === 'typescript' ? 'TypeScript' : 'JavaScript'}: your code in it is kept apart. Press Run to run it.`, 'idle');
  }

  #showLanguage(language: PlaygroundLanguage): void {
    const radio = this.#element.querySelector<HTMLInputElement>(`[data-pg="languages"] input[value="${language}"]`);
    if (radio) radio.checked = true;
    this.#element.dataset['language'] = language;
  }

  // ---------- Output ----------

  #report(report: RuntimeReport): void {
    if (!this.#problems.call(report)) this.#output.report(report);
  }

  #logProblem(problem: Problem, source: string): void {
    this.#output.log({ ...problem, source });
    if (problem.line !== null) this.editor.markRuntimeLine(problem.line, `${problem.title}: ${problem.detail}`);
    this.#element.notify('output', '!');
  }

  // ---------- Wiring ----------

  #wire(): void {
    const { signal } = this.#disconnect;
    wirePlayground(
      this.#element,
      {
        buttons: {
          run: () => this.run(),
          checks: () => this.runChecks(),
          reset: () => this.reset(),
          share: () => this.share(),
          'shared-keep': () => this.#keeper.save(true),
          'shared-discard': () => this.#keeper.leaveLink(),
          clear: () => this.#output.clear(),
        },
        language: (language) => this.#setLanguage(language),
        run: () => this.run(),
        save: () => this.save(),
      },
      signal,
    );
    this.editor.onChange(() => {
      this.#keeper.edited();
      this.#checksView.codeIs(this.#codeKey());
    });
    window.addEventListener('hashchange', () => void this.#keeper.openShared(), { signal });
  }

  #status(text: string, tone: StatusTone): void {
    this.#part('status-text').textContent = text;
    this.#part('status').dataset['tone'] = tone;
  }

  #part<T extends HTMLElement = HTMLElement>(name: string): T {
    const part = this.#element.querySelector<T>(`[data-pg="${name}"]`);
    if (!part) throw new Error(`The playground's markup has no [data-pg="${name}"].`);
    return part;
  }
}
