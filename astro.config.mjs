// @ts-check
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';
import { ELEMENT_NODE, parse as parseHtml, walkSync } from 'ultrahtml';
import { focusableTables } from './src/markdown/focusable-tables.ts';
import { playgroundLibrary } from './src/editor/library-plugin.ts';

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
      components: {
        // Starlight's own search, its button named by the text it shows (WCAG 2.5.3).
        Search: './src/components/Search.astro',
        // A menu with the theme switch on a phone for pages without a sidebar (the home page, the Lab, the playground).
        Header: './src/components/starlight/Header.astro',
      },
      lastUpdated: false,
      // The not-found page is src/pages/404.astro: it leads home, to the Lab, to getting started and to the search.
      disable404Route: true,
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
    securityHeaders(),
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
 * The site's security headers (CSP, nosniff, framing, referrer...), as HTTP headers.
 *
 * After a build, writes `_headers` into the output folder (the format Netlify and Cloudflare Pages
 * read; content/docs/start/hosting.mdx says what to do elsewhere), with the CSP's `script-src`
 * listing the SHA-256 hash of every inline script the built pages hold, so no hash is ever kept by
 * hand. `astro preview` reads that file back and sends the same headers, so the end-to-end tests
 * run under the policy the site ships with.
 *
 * Astro's own `security.csp` is not used: for a static build without an adapter it writes a
 * `<meta>` tag, which cannot carry `frame-ancestors` and does not reach workers (a dedicated
 * worker's CSP comes from its script's response headers), and it takes over `style-src` with
 * hashes, which would block the inline styles Monaco and Starlight set.
 *
 * @returns {import('astro').AstroIntegration}
 */
function securityHeaders() {
  return {
    name: 'sessionlab:security-headers',
    hooks: {
      'astro:config:setup'({ command, config, updateConfig, logger }) {
        if (command !== 'preview') return;
        const file = new URL('_headers', config.outDir);
        if (!existsSync(file)) {
          logger.warn(`No ${fileURLToPath(file)}: the preview runs without the site's security headers. Build first.`);
          return;
        }
        updateConfig({ server: { headers: headersFor(readFileSync(file, 'utf8'), '/*') } });
      },
      'astro:build:done'({ dir, logger }) {
        const hashes = inlineScriptHashes(fileURLToPath(dir));
        writeFileSync(new URL('_headers', dir), headersFile(hashes));
        logger.info(`_headers written: CSP with ${hashes.length} inline script hash(es).`);
      },
    },
  };
}

/**
 * The policy. Reader code runs in workers whose scripts come from this origin or from blob: URLs
 * (the playground's compiled modules), so `script-src` and `worker-src` allow `blob:`; Pagefind's
 * search runs WebAssembly (`'wasm-unsafe-eval'`); Monaco and Starlight set inline styles. Nothing
 * may be fetched from, framed by, or submitted to another origin.
 *
 * @param {string[]} scriptHashes `'sha256-…'` sources of the inline scripts
 */
function contentSecurityPolicy(scriptHashes) {
  return [
    "default-src 'self'",
    ["script-src 'self' blob: 'wasm-unsafe-eval'", ...scriptHashes].join(' '),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** @param {string[]} scriptHashes */
function headersFile(scriptHashes) {
  /** @type {[string, string][]} */
  const headers = [
    ['Content-Security-Policy', contentSecurityPolicy(scriptHashes)],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Referrer-Policy', 'same-origin'],
    ['Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Cross-Origin-Resource-Policy', 'same-origin'],
  ];
  return [
    '# Generated by the site build (astro.config.mjs, securityHeaders): do not edit by hand.',
    '# Netlify and Cloudflare Pages read this file; for other hosts see /start/hosting/.',
    '/*',
    ...headers.map(([name, value]) => `  ${name}: ${value}`),
    '',
  ].join('\n');
}

/**
 * The headers a `_headers` file gives `path` (only exact path patterns: the file above has one, `/*`).
 * @param {string} file
 * @param {string} path
 * @returns {Record<string, string>}
 */
function headersFor(file, path) {
  /** @type {Record<string, string>} */
  const headers = {};
  let inBlock = false;
  for (const line of file.split(/\r?\n/)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      inBlock = line.trim() === path;
      continue;
    }
    const colon = line.indexOf(':');
    if (inBlock && colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Script types a browser runs (HTML's "JavaScript MIME type essence match", module, import maps...). */
const EXECUTED_SCRIPT_TYPE = /^(|module|importmap|speculationrules|(text|application)\/(x-)?(java|ecma)script|text\/(javascript1\.[0-5]|jscript|livescript))$/;

/**
 * The CSP hash sources of every inline script in the built pages under `dir`. Throws when a page
 * has an inline event handler or a `javascript:` URL, which a hash-based policy blocks.
 * @param {string} dir
 * @returns {string[]}
 */
function inlineScriptHashes(dir) {
  const hashes = new Set();
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.html'));
  for (const name of files) {
    walkSync(parseHtml(readFileSync(join(dir, name), 'utf8')), (node) => {
      if (node.type !== ELEMENT_NODE) return;
      for (const [attribute, value] of Object.entries(node.attributes ?? {})) {
        if (/^on/i.test(attribute) || (/^(href|src|action|formaction)$/i.test(attribute) && /^\s*javascript:/i.test(String(value)))) {
          throw new Error(
            `${name}: <${node.name} ${attribute}="…"> runs script the site's CSP blocks. Move it into a <script> (or a module) and attach it with addEventListener.`,
          );
        }
      }
      if (node.name !== 'script' || 'src' in node.attributes) return;
      const type = String(node.attributes.type ?? '').trim().toLowerCase();
      if (!EXECUTED_SCRIPT_TYPE.test(type)) return;
      const text = node.children.map((child) => child.value ?? '').join('');
      hashes.add(`'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
    });
  }
  return [...hashes].sort();
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
