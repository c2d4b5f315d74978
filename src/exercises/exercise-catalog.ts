/**
 * The exercises as the site's pages see them at build time: each exercise's instructions (the
 * `exercises` content collection), its code (starter, solution) as text, its checks' titles and
 * hints, and its place in the sequence. Only .astro pages import this (it runs at build time).
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import type { CheckInfo, ExerciseCheck } from '../checks/exercise-check.ts';

const STARTERS = import.meta.glob<string>('/content/exercises/*/starter.ts', { query: '?raw', import: 'default', eager: true });
const SOLUTIONS = import.meta.glob<string>('/content/exercises/*/solution.ts', { query: '?raw', import: 'default', eager: true });
const CHECKS = import.meta.glob<{ checks: readonly ExerciseCheck[] }>('/content/exercises/*/checks.ts', { eager: true });

export interface CatalogExercise {
  /** The folder name, e.g. `01-create-and-get`: the page is /exercises/<slug>/. */
  slug: string;
  entry: CollectionEntry<'exercises'>;
  title: string;
  description: string;
  order: number;
  starter: string;
  solution: string;
  checks: CheckInfo[];
}

/** Every exercise, in order. Throws at build time when an exercise folder lacks a part. */
export async function exerciseCatalog(): Promise<CatalogExercise[]> {
  const entries = await getCollection('exercises');
  return entries
    .map((entry) => {
      const file = (name: string) => `/content/exercises/${entry.id}/${name}`;
      const starter = STARTERS[file('starter.ts')];
      const solution = SOLUTIONS[file('solution.ts')];
      const checks = CHECKS[file('checks.ts')]?.checks;
      if (starter === undefined || solution === undefined || !checks) {
        throw new Error(`Exercise ${entry.id} needs starter.ts, solution.ts and checks.ts beside its index.mdx.`);
      }
      return {
        slug: entry.id,
        entry,
        title: entry.data.title,
        description: entry.data.description,
        order: entry.data.order,
        starter,
        solution,
        // The level travels with the check (a conformance check keeps its own), so the page can show it.
        checks: checks.map(({ id, title, hint, level }) => ({ id, title, hint, ...(level === undefined ? {} : { level }) })),
      };
    })
    .sort((a, b) => a.order - b.order);
}

/** The sidebar of the exercise pages: the overview, then every exercise (marked with the reader's progress by progress-marks.ts). */
export function exerciseSidebar(exercises: readonly CatalogExercise[]) {
  return [
    { label: 'Overview', link: '/exercises/' },
    {
      label: 'Exercises',
      items: exercises.map((exercise) => ({
        label: `${exercise.order}. ${exercise.title}`,
        link: `/exercises/${exercise.slug}/`,
        attrs: { 'data-exercise-link': exercise.slug },
      })),
    },
    {
      label: 'Elsewhere',
      items: [
        { label: 'Playground', link: '/playground/' },
        { label: 'The Lab', link: '/lab/' },
        { label: 'Documentation', link: '/' },
      ],
    },
  ];
}
