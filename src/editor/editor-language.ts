/**
 * The languages the editor writes a store in. Each keeps its own code (its own Monaco model, its own
 * part of a draft), and the page that shows the editor decides which one a reader starts with.
 */

export type PlaygroundLanguage = 'typescript' | 'javascript';

export const LANGUAGES: readonly PlaygroundLanguage[] = ['typescript', 'javascript'];

export function isPlaygroundLanguage(value: unknown): value is PlaygroundLanguage {
  return value === 'typescript' || value === 'javascript';
}
