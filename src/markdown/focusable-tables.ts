/**
 * A hast plugin for Astro's Sätteri Markdown processor that lets keyboard users scroll wide tables.
 *
 * Starlight makes each content table its own scroll container (`display: block; overflow: auto`), so on a narrow
 * screen a wide table scrolls sideways inside the page. A mouse or a finger can do that; a keyboard can only scroll
 * what has focus, and a table has none. So every table gets `tabindex="0"` (WCAG 2.1.1; axe's
 * `scrollable-region-focusable`) and a name, which a screen reader announces when focus lands on it:
 *
 * - a table with a `<caption>`, `aria-label` or `aria-labelledby` keeps the name it has;
 * - otherwise it is labelled by the nearest heading before it (`aria-labelledby` its id), the section it belongs to;
 * - with no heading before it, its header cells name it.
 *
 * On a wide screen nothing scrolls, and a mouse click does not show a focus ring (src/styles/theme.css styles
 * `:focus-visible` only); the tab stop stays, which is the cost of a rule that needs no script.
 *
 * Register it after Starlight's plugins, which give headings their ids and wrap them with their anchor links.
 * It handles Markdown tables and `<table>` written as JSX in MDX alike; raw HTML in a `.md` file stays as written.
 */
import type { Element, Parents } from 'hast';
import type { HastPluginDefinition, HastVisitorContext, MdxJsxFlowElementHast, MdxJsxTextElementHast } from 'satteri';

/** An HTML element: from Markdown (hast `element`), or written as JSX in MDX. */
type Tag = Element | MdxJsxFlowElementHast | MdxJsxTextElementHast;

const HEADING = /^h[1-6]$/;

/**
 * The plugin: gives every content table `tabindex="0"` and a name. Registered in astro.config.mjs.
 * @see https://www.w3.org/WAI/WCAG22/Understanding/keyboard.html (WCAG 2.1.1 Keyboard)
 */
export function focusableTables(): HastPluginDefinition {
  return {
    name: 'sessionlab-focusable-tables',
    element: { filter: ['table'], visit: makeFocusable },
    mdxJsxFlowElement: { filter: ['table'], visit: makeFocusable },
  };
}

function makeFocusable(table: Readonly<Tag>, ctx: HastVisitorContext): void {
  // A table that says where it sits in the tab order has been thought about: leave it as it is.
  if (attribute(table, 'tabindex') !== undefined) return;
  ctx.setProperty(table, 'tabindex', '0');
  if (hasName(table)) return;
  const heading = headingBefore(table, ctx);
  const id = heading && attribute(heading, 'id');
  if (typeof id === 'string' && id !== '') ctx.setProperty(table, 'aria-labelledby', id);
  else if (heading) ctx.setProperty(table, 'aria-label', ctx.textContent(heading).trim());
  else {
    const headers = descendants(table, 'th').map((cell) => ctx.textContent(cell).trim()).filter(Boolean);
    if (headers.length > 0) ctx.setProperty(table, 'aria-label', headers.join(', '));
  }
}

function hasName(table: Readonly<Tag>): boolean {
  return (
    attribute(table, 'aria-label') !== undefined ||
    attribute(table, 'aria-labelledby') !== undefined ||
    table.children.some((child) => tagName(child) === 'caption')
  );
}

/**
 * The heading of the section a node is in: the nearest heading before it among its siblings, then among its
 * parent's, and so on up (a table inside an aside or a JSX component belongs to the section around it).
 * Starlight wraps each heading in a `div` with its anchor link, the heading first.
 */
function headingBefore(node: Readonly<Tag>, ctx: HastVisitorContext): Tag | undefined {
  let current: Readonly<Tag | Parents> = node;
  for (let parent = ctx.parent(current); parent; current = parent, parent = ctx.parent(current)) {
    const index = ctx.indexOf(current) ?? 0;
    for (let i = index - 1; i >= 0; i--) {
      const sibling = parent.children[i];
      if (!isTag(sibling)) continue;
      if (HEADING.test(tagName(sibling) ?? '')) return sibling;
      const first = sibling.children.find(isTag);
      if (tagName(sibling) === 'div' && first && HEADING.test(tagName(first) ?? '')) return first;
    }
  }
  return undefined;
}

function descendants(node: Readonly<Tag>, name: string): Tag[] {
  const found: Tag[] = [];
  for (const child of node.children) {
    if (!isTag(child)) continue;
    if (tagName(child) === name) found.push(child);
    else found.push(...descendants(child, name));
  }
  return found;
}

/** The attributes read here, and the names hast gives them as `properties` (plugins may also use the attribute's). */
const HAST_NAMES = { id: 'id', tabindex: 'tabIndex', 'aria-label': 'ariaLabel', 'aria-labelledby': 'ariaLabelledBy' };

function attribute(node: Readonly<Tag>, name: keyof typeof HAST_NAMES): unknown {
  if (node.type === 'element') return node.properties[name] ?? node.properties[HAST_NAMES[name]];
  const found = node.attributes.find((entry) => entry.type === 'mdxJsxAttribute' && entry.name.toLowerCase() === name);
  return found && 'value' in found ? (found.value ?? true) : undefined;
}

function tagName(node: Readonly<{ type: string }>): string | undefined {
  if (!isTag(node)) return undefined;
  return node.type === 'element' ? node.tagName : (node.name ?? undefined);
}

function isTag(node: Readonly<{ type: string }> | undefined): node is Tag {
  return node?.type === 'element' || node?.type === 'mdxJsxFlowElement' || node?.type === 'mdxJsxTextElement';
}
