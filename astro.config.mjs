// @ts-check
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { focusableTables } from './src/markdown/focusable-tables.ts';
import { playgroundLibrary } from './src/playground/library-plugin.ts';

/**
 * Where the site is served from. `SITE_BASE=/session-lab/` builds it for a sub-path (e.g. a project page);
 * the trailing slash is added when missing so `import.meta.env.BASE_URL + 'page/'` is always a valid URL.
 */
const base = withTrailingSlash(process.env['SITE_BASE'] || '/');
const outDir = process.env['SITE_OUT'] || './build/site';

const DOCS_DIR = fileURLToPath(new URL('./content/docs/', import.meta.url));

/**
 * Sidebar groups, one per folder of `content/docs`, in this order. A folder not listed here still appears,
 * after these, with a label made from its name (`design-notes` → "Design notes").
 */
const GROUPS = [
  { dir: 'start', label: 'Start here' },
  { dir: 'sessions', label: 'Sessions' },
  { dir: 'stores', label: 'Stores' },
  { dir: 'security', label: 'Security' },
  { dir: 'migrate', label: 'Migrating' },
  { dir: 'reference', label: 'API reference' },
  { dir: 'design-notes', label: 'Design notes' },
];

export default defineConfig({
  base,
  // Page URLs end in `/`, like every link Starlight makes; relative links (the home page's hero actions, which
  // are frontmatter, not Markdown) resolve against them.
  trailingSlash: 'always',
  outDir,
  integrations: [
    starlight({
      title: 'Session Lab',
      description:
        'A TypeScript session library with a FluidAuth-compatible store contract, and a site that runs it in your browser.',
      favicon: '/favicon.svg',
      customCss: ['./src/styles/theme.css'],
      // Starlight's own search, its button named by the text it shows (WCAG 2.5.3).
      components: { Search: './src/components/Search.astro' },
      lastUpdated: false,
      // The Lab, the playground and the exercises are pages of their own (src/pages), not docs entries: list them first.
      sidebar: [
        { label: 'The Lab', link: '/lab/' },
        { label: 'Playground', link: '/playground/' },
        { label: 'Exercises', link: '/exercises/' },
        ...(sidebarFromFolder(DOCS_DIR) ?? []),
      ],
      // Starlight's Markdown transforms (asides, heading anchor links) only run on `src/content/docs` unless told.
      markdown: { processedDirs: ['./content'] },
    }),
    // After Starlight, whose Markdown plugins give headings the ids that name the tables.
    contentTables(),
    baseLinks(base),
  ],
  vite: {
    // Workers (the simulated server, Monaco's TypeScript worker) are ES modules.
    worker: { format: 'es' },
    // The library's declarations and module names for the playground's editor, generated from src/session.
    plugins: [playgroundLibrary()],
  },
});

/**
 * Lets keyboard users scroll wide content tables: see src/markdown/focusable-tables.ts.
 * @returns {import('astro').AstroIntegration}
 */
function contentTables() {
  return {
    name: 'sessionlab:content-tables',
    hooks: {
      'astro:config:setup'({ config, logger }) {
        hastPlugins(config, logger, 'wide tables will not scroll by keyboard')?.push(focusableTables());
      },
    },
  };
}

/**
 * Lets content link to other pages as `/start/custom-store/` whatever the base path: root-relative `href`s in
 * Markdown links get the base put in front. Astro leaves them alone (Starlight only does this for its own
 * navigation), so without this they break when the site is served under a sub-path. Links written as JSX
 * (`<a href>`, `<LinkCard href>`) are not rewritten: give them `import.meta.env.BASE_URL` yourself.
 *
 * @param {string} base the base path, ending in `/`
 * @returns {import('astro').AstroIntegration}
 */
function baseLinks(base) {
  return {
    name: 'sessionlab:base-links',
    hooks: {
      'astro:config:setup'({ config, logger }) {
        if (base === '/') return;
        hastPlugins(config, logger, `root-relative links in content will not get the base path ${base}`)?.push({
          name: 'sessionlab-base-links',
          element: {
            filter: ['a'],
            /** @param {any} node @param {any} ctx */
            visit(node, ctx) {
              const href = node.properties?.href;
              // `/page/` gets the base; `//host/…` (protocol-relative) and links that already carry it do not.
              if (typeof href !== 'string' || !href.startsWith('/') || href.startsWith('//')) return;
              if (href.startsWith(base)) return;
              ctx.setProperty(node, 'href', base + href.slice(1));
            },
          },
        });
      },
    },
  };
}

/**
 * The hast plugin list of Astro's default Sätteri Markdown processor, where Starlight adds its own; a plugin pushed
 * there in `astro:config:setup` runs after those of integrations set up before. With another processor, `undefined`
 * and a warning that says what is lost.
 *
 * @param {import('astro').AstroConfig} config
 * @param {import('astro').AstroIntegrationLogger} logger
 * @param {string} loss what goes missing without the plugin
 * @returns {any[] | undefined}
 */
function hastPlugins(config, logger, loss) {
  const processor = /** @type {any} */ (config.markdown.processor);
  if (processor?.name === 'satteri' && Array.isArray(processor.options?.hastPlugins)) return processor.options.hastPlugins;
  logger.warn(`Markdown processor "${processor?.name}" is not Sätteri: ${loss}.`);
  return undefined;
}

/** @param {string} path */
function withTrailingSlash(path) {
  return path.endsWith('/') ? path : `${path}/`;
}

/**
 * Builds Starlight's sidebar from the `content/docs` folder.
 *
 * Starlight's `autogenerate` only understands `src/content/docs/`, so with a top-level `content/` it yields empty
 * groups; listing every page by hand means new pages stay invisible until someone edits this file. Instead:
 * top-level pages become links, each folder becomes a group (nested folders become nested groups), and pages are
 * ordered by frontmatter `sidebar.order`, then by file name. The home page (`index`), pages with
 * `sidebar.hidden: true` and drafts are left out. Labels and badges come from each page's frontmatter, as usual.
 *
 * @param {string} root absolute path of the docs folder
 * @returns {import('@astrojs/starlight/types').StarlightUserConfig['sidebar']}
 */
function sidebarFromFolder(root) {
  /** @typedef {{ kind: 'page', slug: string, order: number, name: string }} PageEntry */
  /** @typedef {{ kind: 'group', label: string, items: any[], order: number, name: string }} GroupEntry */

  /**
   * @param {string} dir absolute path
   * @param {string} rel path relative to root, '' or ending in '/'
   * @returns {any[]}
   */
  function walk(dir, rel) {
    /** @type {(PageEntry | GroupEntry)[]} */
    const entries = [];
    for (const dirent of readdirSync(dir, { withFileTypes: true })) {
      if (dirent.name.startsWith('.')) continue;
      if (dirent.isDirectory()) {
        const items = walk(join(dir, dirent.name), `${rel}${dirent.name}/`);
        if (items.length === 0) continue;
        const known = rel === '' ? GROUPS.findIndex((group) => group.dir === dirent.name) : -1;
        entries.push({
          kind: 'group',
          label: GROUPS[known]?.label ?? labelFromName(dirent.name),
          items,
          order: known === -1 ? Number.POSITIVE_INFINITY : known,
          name: dirent.name,
        });
        continue;
      }
      // Same rule as the collection's glob (`**/[^_]*.{md,mdx}`): a file starting with `_` is not a page.
      const match = /^([^_].*)\.mdx?$/.exec(dirent.name);
      if (!match?.[1]) continue;
      const frontmatter = readFrontmatter(join(dir, dirent.name));
      if (frontmatter.hidden || frontmatter.draft) continue;
      const slug = frontmatter.slug ?? slugFromPath(`${rel}${match[1]}`);
      if (slug === '' || slug === 'index' || slug === '404') continue;
      entries.push({
        kind: 'page',
        slug,
        order: frontmatter.order ?? Number.POSITIVE_INFINITY,
        name: match[1] === 'index' ? '' : match[1],
      });
    }
    // Pages before groups at each level; then by order, then by name.
    entries.sort(
      (a, b) =>
        Number(a.kind === 'group') - Number(b.kind === 'group') ||
        a.order - b.order ||
        a.name.localeCompare(b.name),
    );
    return entries.map((entry) =>
      entry.kind === 'page' ? entry.slug : { label: entry.label, items: entry.items },
    );
  }

  return walk(root, '');
}

/**
 * The entry id Astro's glob loader gives a file: each path segment slugified, a trailing `/index` dropped.
 * File names here are kebab-case already, so a lower-casing slugifier matches Astro's github-slugger.
 * @param {string} path relative path without extension
 */
function slugFromPath(path) {
  return path
    .split('/')
    .map((segment) =>
      segment
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    )
    .join('/')
    .replace(/(^|\/)index$/, '');
}

/** @param {string} name */
function labelFromName(name) {
  const words = name.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Reads the few frontmatter fields the sidebar needs. Not a YAML parser: it understands `slug: x`, `draft: true`,
 * and `sidebar.order` / `sidebar.hidden` written as a nested block or an inline `{ order: 2 }` map.
 * @param {string} file
 * @returns {{ slug?: string, draft?: boolean, order?: number, hidden?: boolean }}
 */
function readFrontmatter(file) {
  const source = readFileSync(file, 'utf8');
  const block = /^---\r?\n([\s\S]*?)\r?\n---/.exec(source)?.[1] ?? '';
  /** @type {{ slug?: string, draft?: boolean, order?: number, hidden?: boolean }} */
  const result = {};
  const slug = /^slug:\s*['"]?([^'"\n]*?)['"]?\s*$/m.exec(block)?.[1];
  if (slug !== undefined) result.slug = slug.replace(/^\/+|\/+$/g, '');
  if (/^draft:\s*true\s*$/m.test(block)) result.draft = true;
  const inline = /^sidebar:\s*\{([^}]*)\}/m.exec(block)?.[1];
  const nested = /^sidebar:\s*\r?\n((?:[ \t]+.*(?:\r?\n|$))*)/m.exec(block)?.[1];
  const sidebar = inline ?? nested ?? '';
  const order = /(?:^|[\s,])order:\s*(-?\d+(?:\.\d+)?)/.exec(sidebar)?.[1];
  if (order !== undefined) result.order = Number(order);
  if (/(?:^|[\s,])hidden:\s*true\b/.test(sidebar)) result.hidden = true;
  return result;
}
