/**
 * The Markdown plugin that lets keyboard users scroll wide tables (src/markdown/focusable-tables.ts): each content
 * table takes focus and has a name. The site's narrow-screen checks (tests/e2e/docs-pages.spec.ts) show it working in
 * the browser; these say which name a table gets.
 */
import { evaluate, markdownToHtml, type HastPluginDefinition } from 'satteri';
import { describe, expect, it } from 'vitest';
import { focusableTables } from '../../src/markdown/focusable-tables.ts';

/** Gives headings ids, as Starlight's Markdown plugins do before ours. */
const headingIds: HastPluginDefinition = {
  name: 'test-heading-ids',
  element: {
    filter: ['h2', 'h3'],
    visit(node, ctx) {
      ctx.setProperty(node, 'id', ctx.textContent(node).toLowerCase().replaceAll(' ', '-'));
    },
  },
};

/** Wraps each heading with an anchor link, in the shape Starlight gives it: `div > [heading, a]`. */
const headingLinks: HastPluginDefinition = {
  name: 'test-heading-links',
  element: {
    filter: ['h2', 'h3'],
    visit(node) {
      const link = { type: 'element' as const, tagName: 'a', properties: { href: `#${String(node.properties['id'])}` }, children: [] };
      return { type: 'element', tagName: 'div', properties: { className: ['sl-heading-wrapper'] }, children: [node, link] };
    },
  },
};

const TABLE = '| Option | Default |\n| --- | --- |\n| `secret` | none |\n';

/** The opening `<table>` tags of a Markdown page, as rendered. */
function markdownTables(source: string, plugins: HastPluginDefinition[] = [headingIds, headingLinks]): string[] {
  // Synchronous, since no plugin here is async: the type allows for both.
  const { html } = markdownToHtml(source, { hastPlugins: [...plugins, focusableTables()] }) as { html: string };
  return html.match(/<table[^>]*>/g) ?? [];
}

/** The attributes of each `<table>` of an MDX page, as its component renders them. */
async function mdxTables(source: string): Promise<Record<string, unknown>[]> {
  const tables: Record<string, unknown>[] = [];
  const jsx = (type: unknown, props: unknown) => {
    if (type === 'table') tables.push(props as Record<string, unknown>);
    return null;
  };
  const { default: Content } = await evaluate(source, {
    hastPlugins: [headingIds, headingLinks, focusableTables()],
    Fragment: 'fragment',
    jsx,
    jsxs: jsx,
  });
  (Content as (props: object) => unknown)({});
  return tables.map(({ children: _children, ...attributes }) => attributes);
}

describe('a Markdown table', () => {
  it('takes focus, labelled by the heading of its section', () => {
    expect(markdownTables(`## Options\n\nEach row is one option.\n\n${TABLE}`)).toEqual([
      '<table tabindex="0" aria-labelledby="options">',
    ]);
  });

  it('is labelled by its own section’s heading, the nearest before it', () => {
    expect(markdownTables(`## Options\n\n${TABLE}\n### Calls\n\n${TABLE}`)).toEqual([
      '<table tabindex="0" aria-labelledby="options">',
      '<table tabindex="0" aria-labelledby="calls">',
    ]);
  });

  it('inside a block is labelled by the heading of the section around the block', () => {
    expect(markdownTables(`## Options\n\n> ${TABLE.replaceAll('\n', '\n> ')}`)).toEqual([
      '<table tabindex="0" aria-labelledby="options">',
    ]);
  });

  it('under a heading without an id is named by the heading’s text', () => {
    expect(markdownTables(`## The *attributes*\n\n${TABLE}`, [])).toEqual(['<table tabindex="0" aria-label="The attributes">']);
  });

  it('before any heading is named by its header cells', () => {
    expect(markdownTables(`${TABLE}\n## Later\n`)).toEqual(['<table tabindex="0" aria-label="Option, Default">']);
  });
});

describe('a table written as JSX in MDX', () => {
  it('takes focus, labelled by the heading of its section', async () => {
    const source = '## The checks\n\n<table>\n  <tr><td>create</td></tr>\n</table>\n';
    expect(await mdxTables(source)).toEqual([{ tabindex: '0', 'aria-labelledby': 'the-checks' }]);
  });

  it('keeps the name it has: a caption, an aria-label', async () => {
    const source =
      '## The checks\n\n<table>\n  <caption>Checks</caption>\n  <tr><td>create</td></tr>\n</table>\n\n' +
      '<table aria-label="Levels">\n  <tr><td>required</td></tr>\n</table>\n';
    expect(await mdxTables(source)).toEqual([{ tabindex: '0' }, { 'aria-label': 'Levels', tabindex: '0' }]);
  });

  it('before any heading is named by its header cells', async () => {
    const source = '<table>\n  <thead><tr><th>Check</th><th>Level</th></tr></thead>\n</table>\n\n## Later\n';
    expect(await mdxTables(source)).toEqual([{ tabindex: '0', 'aria-label': 'Check, Level' }]);
  });

  it('that sets its own tabindex is left as it is', async () => {
    const source = '## The checks\n\n<table tabindex="-1">\n  <tr><td>create</td></tr>\n</table>\n';
    expect(await mdxTables(source)).toEqual([{ tabindex: '-1' }]);
  });
});
