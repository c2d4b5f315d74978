/**
 * Every internal link resolves, under the root and under the base path: starting from the home page and every docs
 * page, each same-origin `href` (links, stylesheets, icons) is fetched, and a link with a `#fragment` must land on
 * an element with that id. Links must stay under the base path. Pages are read as HTML, without a browser: the
 * links are in the built pages themselves.
 */
import type { APIRequestContext } from '@playwright/test';
import { ALSO_UNDER_BASE_PATH, expect, test } from './csp-fixtures.ts';
import { OTHER_PAGES, docsPages, siteOf } from './docs-site.ts';

test('every internal link and fragment resolves', ALSO_UNDER_BASE_PATH, async ({ request, baseURL }, testInfo) => {
  const { origin, base } = siteOf(baseURL);
  const start = [...docsPages(), ...OTHER_PAGES].map(({ path }) => `${origin}${base}${path}`);
  const html = new Map<string, string>(); // page URL (no fragment) -> its HTML
  const status = new Map<string, number>();
  const links: { from: string; to: URL }[] = [];

  const queue = [...start];
  for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
    if (html.has(url) || status.has(url)) continue;
    const response = await request.get(url);
    status.set(url, response.status());
    if (!response.ok() || !(response.headers()['content-type'] ?? '').includes('text/html')) continue;
    const text = await response.text();
    html.set(url, text);
    for (const href of hrefsIn(text)) {
      const to = new URL(href, url);
      if (to.origin !== origin) continue;
      links.push({ from: url, to });
      const target = withoutFragment(to);
      // Follow links to pages, so pages no docs file lists are checked too; assets are only fetched.
      if (!html.has(target) && !status.has(target)) {
        if (to.pathname.endsWith('/')) queue.push(target);
        else await fetchStatus(request, target, status);
      }
    }
  }

  const broken: string[] = [];
  for (const { from, to } of links) {
    const where = `${new URL(from).pathname} → ${to.pathname}${to.hash}`;
    const path = to.pathname.startsWith(base) ? to.pathname.slice(base.length) : null;
    if (path === null) {
      broken.push(`${where}: outside the base path ${base}`);
      continue;
    }
    const code = status.get(withoutFragment(to));
    if (code !== 200) {
      broken.push(`${where}: ${code}`);
      continue;
    }
    const id = decodeURIComponent(to.hash.slice(1));
    const page = html.get(withoutFragment(to));
    if (id !== '' && page !== undefined && !new RegExp(`\\sid="${escapeRegExp(id)}"`).test(page)) {
      broken.push(`${where}: no element with id "${id}"`);
    }
  }

  expect(links.length, 'links found').toBeGreaterThan(100);
  expect([...new Set(broken)], 'broken internal links').toEqual([]);
});

test('the sidebar lists every docs page', ALSO_UNDER_BASE_PATH, async ({ page }) => {
  await page.goto('./sessions/what-is-a-session/');
  const hrefs = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').evaluateAll((links) =>
    links.map((link) => new URL((link as HTMLAnchorElement).href).pathname),
  );
  const base = new URL(page.url()).pathname.replace(/sessions\/what-is-a-session\/$/, '');
  const listed = new Set(hrefs.map((href) => href.slice(base.length)));
  expect(docsPages().filter(({ path }) => path !== '' && !listed.has(path)).map(({ path }) => path)).toEqual([]);
});

/** Every `href` in a page's HTML, entities decoded. */
function hrefsIn(html: string): string[] {
  return [...html.matchAll(/\shref="([^"]*)"/g)].map(([, href]) => href!.replaceAll('&amp;', '&')).filter((href) => href !== '');
}

function withoutFragment(url: URL): string {
  const copy = new URL(url);
  copy.hash = '';
  return copy.href;
}

async function fetchStatus(request: APIRequestContext, url: string, status: Map<string, number>): Promise<void> {
  status.set(url, (await request.get(url)).status());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
