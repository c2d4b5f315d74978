/**
 * Shows the reader's progress wherever the page names exercises: the exercise navigation in the
 * sidebar (links carrying `data-exercise-link="<slug>"`) and the overview's list (elements carrying
 * `data-exercise-progress="<slug>"`). Each gets a mark — ✓ solved, ◐ tried — with the same words for
 * screen readers, and `data-progress` for styles and tests. Marks follow changes made in other tabs.
 */
import { ProgressStore, onProgressChange, type ExerciseProgress } from './exercise-progress.ts';

type State = 'passed' | 'attempted' | 'new';

const WORDS: Record<State, { mark: string; text: string }> = {
  passed: { mark: '✓', text: 'solved' },
  attempted: { mark: '◐', text: 'tried, not solved yet' },
  new: { mark: '', text: 'not tried yet' },
};

function stateOf(progress: ExerciseProgress | undefined): State {
  if (progress?.passed) return 'passed';
  return progress?.attempted ? 'attempted' : 'new';
}

async function render(store: ProgressStore): Promise<void> {
  const progress = await store.all();
  for (const link of document.querySelectorAll<HTMLElement>('[data-exercise-link]')) {
    const state = stateOf(progress.get(link.dataset['exerciseLink'] ?? ''));
    link.dataset['progress'] = state;
    let mark = link.querySelector<HTMLElement>('.ex-progress-mark');
    if (!mark) {
      mark = document.createElement('span');
      mark.className = 'ex-progress-mark';
      link.append(mark);
    }
    mark.replaceChildren();
    if (state !== 'new') {
      const symbol = document.createElement('span');
      symbol.setAttribute('aria-hidden', 'true');
      symbol.textContent = WORDS[state].mark;
      const words = document.createElement('span');
      words.className = 'sr-only';
      words.textContent = ` (${WORDS[state].text})`;
      mark.append(symbol, words);
    }
  }
  const solved = [...progress.values()].filter((entry) => entry.passed).length;
  for (const element of document.querySelectorAll<HTMLElement>('[data-exercise-progress]')) {
    const entry = progress.get(element.dataset['exerciseProgress'] ?? '');
    const state = stateOf(entry);
    element.dataset['progress'] = state;
    const text =
      state === 'passed'
        ? 'Solved'
        : state === 'attempted' && entry
          ? `Tried: ${entry.lastPassed} of ${entry.lastTotal} checks passed last time`
          : 'Not tried yet';
    element.textContent = `${WORDS[state].mark ? `${WORDS[state].mark} ` : ''}${text}`;
  }
  for (const element of document.querySelectorAll<HTMLElement>('[data-exercises-solved]')) {
    const total = Number(element.dataset['exercisesSolved']);
    element.textContent = `${solved} of ${total} solved`;
  }
}

/**
 * Marks every exercise the page names with the reader's progress, now and whenever it changes, and
 * wires the overview's "Start over" button. Returns a function that stops following changes.
 */
export function showProgressMarks(store: ProgressStore = new ProgressStore()): () => void {
  void render(store);
  const stop = onProgressChange(() => void render(store));
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-exercises-start-over]')) {
    button.addEventListener('click', () => {
      if (confirm('Forget which exercises you have tried and solved? Your code in each exercise stays.')) void store.clear();
    });
  }
  return stop;
}
