/**
 * What the docs specs share: the list of docs pages (read from the content folder, so a new page is tested without
 * anyone listing it), and the site's base path for the running Playwright project.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const DOCS = fileURLToPath(new URL('../../content/docs/', import.meta.url));

export interface SitePage {
  /** The path relative to the site's base, ending in `/` (`''` for the home page). */
  path: string;
  /** Whether the page embeds a Lab (a simulated server). */
  hasLab: boolean;
  /** Whether its content has a table: a Markdown one (its delimiter row, `| --- |`) or a `<table>` written in MDX. */
  hasTable: boolean;
}

const TABLE = /^\s*\|?\s*:?-{3,}:?\s*\||<table\b/m;

/**
 * Every docs page. Files whose name starts with `_` are not pages, as in src/content.config.ts; nor is anything in
 * a folder whose name starts with `_` (examples and walkthrough steps that pages import).
 */
export function docsPages(): SitePage[] {
  const pages: SitePage[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
      const file = join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.mdx?$/.test(entry.name)) {
        const slug = relative(DOCS, file).replace(/\.mdx?$/, '').replace(/(^|\/)index$/, '').toLowerCase();
        const source = readFileSync(file, 'utf8');
        pages.push({ path: slug === '' ? '' : `${slug}/`, hasLab: /<Lab\b/.test(source), hasTable: TABLE.test(source) });
      }
    }
  };
  walk(DOCS);
  return pages.sort((a, b) => a.path.localeCompare(b.path));
}

/** Pages that are not docs entries but belong to the site: the full-page Lab. */
export const OTHER_PAGES: SitePage[] = [{ path: 'lab/', hasLab: true, hasTable: false }];

/** The site's origin and base path (`/` or `/session-lab/`), from the project's baseURL. */
export function siteOf(baseURL: string | undefined): { origin: string; base: string } {
  if (!baseURL) throw new Error('Each project in tests/playwright.config.ts must set use.baseURL.');
  const { origin, pathname } = new URL(baseURL);
  return { origin, base: pathname };
}
