/**
 * Monaco, set up for writing a session store: TypeScript and JavaScript, IntelliSense from the
 * library's real declarations (generated at build time, library-plugin.ts), inline diagnostics, and
 * compiling in Monaco's own TypeScript worker. The playground and the exercise pages share it; each
 * imports it lazily (`await import('../editor/editor.ts')`), so Monaco and its workers are chunks of
 * their own that no other page downloads.
 *
 * Everything here runs on the page; the compiled code runs elsewhere (the server worker, the checks
 * worker), never here.
 */
import { KeyCode, KeyMod, MarkerSeverity, Uri, editor as monacoEditor, type IDisposable } from 'monaco-editor/editor';
// The editor's features (suggestions, hovers, find, folding…) must be registered before an editor is
// created: an editor only gets the contributions that exist when it is made.
import 'monaco-editor/features/register.all';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/javascript/register';
import * as typescript from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker?worker';
import { extraLibs, readerModules } from 'virtual:sessionlab-playground/library';
import { plainHover } from './markdown-text.ts';
import { scanImports, scanWrittenImports, type ModuleImport } from './module-imports.ts';
import type { PlaygroundLanguage } from './editor-language.ts';
import { decodeMappings, identityTable, originalPosition, type LineTable } from './source-map.ts';

export { readerModules };

/** Where each language's code lives: the file names Monaco's TypeScript sees. */
const MODEL_URIS: Record<PlaygroundLanguage, string> = {
  typescript: 'file:///playground/store.ts',
  javascript: 'file:///playground/store.js',
};
/** The owner of the markers the playground sets itself (imports that are not available). */
const IMPORT_MARKERS = 'sessionlab-imports';

export interface Diagnostic {
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
  /** A syntax error: the code cannot run until it is fixed. */
  syntax: boolean;
}

export type CompileResult =
  | {
      ok: true;
      code: string;
      imports: ModuleImport[];
      table: LineTable;
      /** Type errors: the code runs anyway, as `tsc` would emit it. */
      diagnostics: Diagnostic[];
      ms: number;
    }
  | { ok: false; diagnostics: Diagnostic[]; ms: number };

export interface PlaygroundEditor {
  readonly language: PlaygroundLanguage;
  /** Shows `language`'s code (each language keeps its own). */
  setLanguage(language: PlaygroundLanguage): void;
  getValue(language?: PlaygroundLanguage): string;
  /** Replaces the code of the current language as one edit that Ctrl+Z undoes. */
  replaceAll(text: string): void;
  /** Sets a language's code without an undo step (restoring saved code at start). */
  load(language: PlaygroundLanguage, text: string): void;
  compile(available: (specifier: string) => boolean, availableList: readonly string[]): Promise<CompileResult>;
  revealLine(line: number): void;
  /** Marks lines where the code failed at run time (cleared on the next edit). */
  markRuntimeLine(line: number | null, message: string): void;
  onChange(listener: (language: PlaygroundLanguage) => void): IDisposable;
  /** A narrow screen: less room for line numbers and folding arrows, more for code. */
  setCompact(compact: boolean): void;
  focus(): void;
  dispose(): void;
}

export interface EditorOptions {
  host: HTMLElement;
  language: PlaygroundLanguage;
  /** Code each language starts with. */
  code: Record<PlaygroundLanguage, string>;
  onRun(): void;
  onSave(): void;
}

let configured = false;

/** Monaco's workers come from the site's own bundle (Vite builds each `?worker` import). */
function configureMonaco(): void {
  if (configured) return;
  configured = true;
  (globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
    getWorker(_moduleId: string, label: string): Worker {
      return label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker();
    },
  };
  // The reader's code runs in a module worker: ES modules, modern syntax, worker globals (no DOM).
  const common = {
    target: typescript.ScriptTarget.ESNext,
    module: typescript.ModuleKind.ESNext,
    moduleResolution: typescript.ModuleResolutionKind.NodeJs,
    lib: ['lib.es2023.d.ts', 'lib.webworker.d.ts', 'lib.webworker.iterable.d.ts'],
    allowNonTsExtensions: true,
    sourceMap: true,
    skipLibCheck: true,
    useDefineForClassFields: true,
    noEmitOnError: false,
  };
  typescript.typescriptDefaults.setCompilerOptions({ ...common, strict: true });
  // JavaScript is checked too (misspelt methods, wrong imports), without TypeScript's strictness:
  // a store copied from FluidAuth's docs has no types and must not be full of red.
  typescript.javascriptDefaults.setCompilerOptions({ ...common, allowJs: true, checkJs: true, strict: false, noImplicitAny: false });
  // No suggestion dots under every untyped parameter: JavaScript without types is fine here.
  typescript.javascriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false, noSuggestionDiagnostics: true });
  for (const defaults of [typescript.typescriptDefaults, typescript.javascriptDefaults]) {
    defaults.setExtraLibs(extraLibs.map((lib) => ({ content: lib.content, filePath: lib.path })));
    defaults.setEagerModelSync(true);
  }
}

/** Light or dark, as Starlight shows the page (`<html data-theme>`). */
function siteTheme(): string {
  return document.documentElement.dataset['theme'] === 'light' ? 'vs' : 'vs-dark';
}

export function mountEditor(options: EditorOptions): PlaygroundEditor {
  configureMonaco();
  const models = new Map<PlaygroundLanguage, monacoEditor.ITextModel>();
  const viewStates = new Map<PlaygroundLanguage, monacoEditor.ICodeEditorViewState | null>();
  const pendingCode = { ...options.code };
  // A model (and with it a TypeScript worker for its language) only once the language is used.
  const modelFor = (language: PlaygroundLanguage): monacoEditor.ITextModel => {
    let model = models.get(language);
    if (!model) {
      const uri = Uri.parse(MODEL_URIS[language]);
      model = monacoEditor.getModel(uri) ?? monacoEditor.createModel(pendingCode[language], language, uri);
      models.set(language, model);
    }
    return model;
  };

  let language = options.language;
  const editor = monacoEditor.create(options.host, {
    model: modelFor(language),
    theme: siteTheme(),
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    tabSize: 2,
    scrollBeyondLastLine: false,
    // Long lines wrap: a learner does not scroll sideways to find the end of a comment.
    wordWrap: 'on',
    wrappingIndent: 'indent',
    fixedOverflowWidgets: true,
    renderLineHighlightOnlyWhenFocus: true,
    ariaLabel: 'Code of your session store. Press Ctrl+M, then Tab, to move focus out of the editor.',
    accessibilitySupport: 'auto',
  });

  // The site's theme switch changes <html data-theme>; the editor follows.
  const themeWatch = new MutationObserver(() => monacoEditor.setTheme(siteTheme()));
  themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });

  editor.addCommand(KeyMod.CtrlCmd | KeyCode.Enter, () => options.onRun());
  editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyS, () => options.onSave());

  let runtimeDecorations = editor.createDecorationsCollection();
  const changeListeners = new Set<(language: PlaygroundLanguage) => void>();
  const contentWatch = editor.onDidChangeModelContent(() => {
    runtimeDecorations.clear();
    for (const listener of changeListeners) listener(language);
  });

  return {
    get language() {
      return language;
    },
    setLanguage(next) {
      if (next === language) return;
      viewStates.set(language, editor.saveViewState());
      language = next;
      editor.setModel(modelFor(next));
      const state = viewStates.get(next);
      if (state) editor.restoreViewState(state);
    },
    getValue(which = language) {
      return models.get(which)?.getValue() ?? pendingCode[which];
    },
    replaceAll(text) {
      const model = modelFor(language);
      editor.pushUndoStop();
      editor.executeEdits('sessionlab-playground', [{ range: model.getFullModelRange(), text, forceMoveMarkers: true }]);
      editor.pushUndoStop();
    },
    load(which, text) {
      pendingCode[which] = text;
      const model = models.get(which);
      if (model && model.getValue() !== text) model.setValue(text);
    },
    compile: (isAvailable, availableList) => compile(modelFor(language), language, isAvailable, availableList),
    revealLine(line) {
      editor.revealLineInCenter(line);
      editor.setPosition({ lineNumber: line, column: 1 });
      editor.focus();
    },
    markRuntimeLine(line, message) {
      runtimeDecorations.clear();
      if (line === null) return;
      runtimeDecorations = editor.createDecorationsCollection([
        {
          range: { startLineNumber: line, startColumn: 1, endLineNumber: line, endColumn: 1 },
          options: { isWholeLine: true, className: 'ui-runtime-line', glyphMarginClassName: 'ui-runtime-glyph', hoverMessage: plainHover(message) },
        },
      ]);
    },
    onChange(listener) {
      changeListeners.add(listener);
      return { dispose: () => changeListeners.delete(listener) };
    },
    setCompact(compact) {
      editor.updateOptions({ lineNumbersMinChars: compact ? 2 : 4, folding: !compact, lineDecorationsWidth: compact ? 4 : 10, fontSize: compact ? 13 : 14 });
    },
    focus: () => editor.focus(),
    dispose() {
      themeWatch.disconnect();
      contentWatch.dispose();
      editor.dispose();
      for (const model of models.values()) model.dispose();
    },
  };
}

/**
 * Checks and compiles one model in Monaco's TypeScript worker. TypeScript is emitted with a source
 * map (positions in stack traces become lines of the editor); JavaScript runs as written. Imports of
 * modules the playground does not have are errors, marked on their line, before anything runs.
 */
async function compile(
  model: monacoEditor.ITextModel,
  language: PlaygroundLanguage,
  isAvailable: (specifier: string) => boolean,
  availableList: readonly string[],
): Promise<CompileResult> {
  const started = performance.now();
  const worker = await languageWorker(language, model.uri);
  const file = model.uri.toString();
  const version = model.getVersionId();
  const [syntactic, semantic] = await Promise.all([worker.getSyntacticDiagnostics(file), worker.getSemanticDiagnostics(file)]);
  const toDiagnostic = (syntax: boolean) => (diagnostic: typescript.Diagnostic): Diagnostic => {
    const position = model.getPositionAt(diagnostic.start ?? 0);
    return {
      line: position.lineNumber,
      column: position.column,
      message: flatten(diagnostic.messageText),
      severity: diagnostic.category === 1 ? 'error' : 'warning',
      syntax,
    };
  };
  const diagnostics = [...syntactic.map(toDiagnostic(true)), ...semantic.filter((d) => d.category === 1 || d.category === 0).map(toDiagnostic(false))];

  // Imports are marked on the code as written, so the marks land where the reader wrote them.
  const source = model.getValue();
  const written = scanWrittenImports(source);
  const importErrors: Diagnostic[] = [
    ...written.imports.filter((item) => !isAvailable(item.specifier)).map((item) => importError(model, item.start, notAvailable(item.specifier, availableList))),
    ...written.computed.map((item) => importError(model, item.start, computedImport(availableList))),
  ];
  const marks = (): void =>
    monacoEditor.setModelMarkers(
      model,
      IMPORT_MARKERS,
      importErrors.map((error) => ({
        startLineNumber: error.line,
        startColumn: error.column,
        endLineNumber: error.line,
        endColumn: model.getLineMaxColumn(error.line),
        message: error.message,
        severity: MarkerSeverity.Error,
      })),
    );
  marks();
  // Monaco's own TypeScript marks "Cannot find module" on the same spot: the playground's mark says more.
  const all = [...importErrors, ...diagnostics.filter((d) => !(importErrors.some((e) => e.line === d.line) && /Cannot find module/.test(d.message)))];
  if (all.some((diagnostic) => diagnostic.syntax)) return { ok: false, diagnostics: all, ms: performance.now() - started };

  let code: string;
  let table: LineTable;
  if (language === 'javascript') {
    code = source;
    table = identityTable(source);
  } else {
    const output = await worker.getEmitOutput(file);
    const js = output.outputFiles.find((item) => item.name.endsWith('.js'));
    const map = output.outputFiles.find((item) => item.name.endsWith('.js.map'));
    if (!js || output.emitSkipped) {
      return { ok: false, diagnostics: [...all, { line: 1, column: 1, message: 'TypeScript emitted no code for this file.', severity: 'error', syntax: true }], ms: performance.now() - started };
    }
    // The map is handed over as a line table; the comment pointing at a map file would only 404.
    code = js.text.replace(/\/\/# sourceMappingURL=\S+\s*$/, '');
    table = map ? decodeMappings((JSON.parse(map.text) as { mappings: string }).mappings) : identityTable(code);
  }
  if (model.getVersionId() !== version) return compile(model, language, isAvailable, availableList);

  // What decides is the code that runs, read by a full parser: an import the marks above missed is refused too.
  const scan = scanImports(code);
  const sourceLine = (line: number): number => Math.min(originalPosition(table, line, 1)?.line ?? line, model.getLineCount());
  const refused: Diagnostic[] = [];
  const refuse = (line: number, message: string): void => {
    const at = sourceLine(line);
    if (!importErrors.some((error) => error.line === at)) refused.push({ line: at, column: 1, message, severity: 'error', syntax: true });
  };
  if (scan.unreadable) refuse(scan.unreadable.line, `The code could not be read as a module (${scan.unreadable.message}), so it does not run.`);
  for (const item of scan.imports) if (!isAvailable(item.specifier)) refuse(item.line, notAvailable(item.specifier, availableList));
  for (const item of scan.computed) refuse(item.line, computedImport(availableList));
  if (refused.length > 0) {
    importErrors.push(...refused);
    marks();
    return { ok: false, diagnostics: [...refused, ...all], ms: performance.now() - started };
  }
  return { ok: true, code, imports: scan.imports, table, diagnostics: all, ms: performance.now() - started };
}

function importError(model: monacoEditor.ITextModel, offset: number, message: string): Diagnostic {
  const position = model.getPositionAt(offset);
  return { line: position.lineNumber, column: position.column, message, severity: 'error', syntax: true };
}

function notAvailable(specifier: string, availableList: readonly string[]): string {
  return `"${specifier}" is not available in the playground. You can import: ${availableList.join(', ')}.`;
}

function computedImport(availableList: readonly string[]): string {
  return `import() needs a module name written out ("idb"), so the playground can check it before running. You can import: ${availableList.join(', ')}.`;
}

/**
 * The TypeScript worker for `language`'s models. Monaco sets a language's worker up only once a model
 * of it is activated, asynchronously; until then it rejects ("TypeScript not registered!"), so wait.
 */
async function languageWorker(language: PlaygroundLanguage, uri: Uri): Promise<typescript.TypeScriptWorker> {
  const getWorker = language === 'typescript' ? typescript.getTypeScriptWorker : typescript.getJavaScriptWorker;
  const deadline = performance.now() + 20_000;
  for (;;) {
    try {
      return await (await getWorker())(uri);
    } catch (error) {
      if (!/not registered/.test(String(error)) || performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function flatten(message: string | typescript.Diagnostic['messageText']): string {
  if (typeof message === 'string') return message;
  const chain = message as { messageText: string; next?: { messageText: string; next?: unknown[] }[] };
  return [chain.messageText, ...(chain.next ?? []).map((next) => flatten(next as never))].join(' ');
}
