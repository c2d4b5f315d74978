import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { docsSchema } from '@astrojs/starlight/schema';

/**
 * Everything a reader reads lives in the top-level `content/` folder, not in `src/`. A file whose name starts
 * with `_` is not a page (partials, notes kept aside).
 */
export const collections = {
  docs: defineCollection({
    loader: glob({ pattern: '**/[^_]*.{md,mdx}', base: './content/docs' }),
    schema: docsSchema(),
  }),
  /**
   * One entry per exercise folder (`content/exercises/01-create-and-get/index.mdx`), its id the folder name:
   * the instructions. The folder also holds the code (starter.ts, solution.ts, checks.ts, wrong/), which
   * src/exercises/exercise-catalog.ts finds by the same name.
   */
  exercises: defineCollection({
    loader: glob({
      pattern: '*/index.mdx',
      base: './content/exercises',
      generateId: ({ entry }) => entry.slice(0, entry.indexOf('/')),
    }),
    schema: z.object({
      title: z.string(),
      description: z.string(),
      /** Position in the sequence: 1 first. */
      order: z.number().int().positive(),
    }),
  }),
};
