/**
 * Reader text in the editor's hovers. Monaco renders a hover's `value` as Markdown, so a message that
 * reader code controls (an error's text, a console line) could show a link that opens another site or
 * an image that is fetched from one. Here the text stays text: every ASCII punctuation character is
 * escaped with a backslash (CommonMark §2.4 allows that for each of them), which leaves no link,
 * image, autolink, HTML tag, emphasis or theme icon to recognise; and the hover is marked untrusted,
 * without HTML.
 *
 * @example
 * hoverMessage: plainHover('[x](https://example.com)')   // shows "[x](https://example.com)", as typed
 */

/** A Markdown string that renders as exactly `text`. */
export interface PlainHover {
  value: string;
  isTrusted: false;
  supportHtml: false;
  supportThemeIcons: false;
}

/** Every character that is Markdown syntax somewhere: all of ASCII punctuation. */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** `text` with every Markdown special character escaped: rendered, it reads exactly as `text`. */
export function escapeMarkdown(text: string): string {
  return text.replace(PUNCTUATION, '\\$&');
}

export function plainHover(text: string): PlainHover {
  return { value: escapeMarkdown(text), isTrusted: false, supportHtml: false, supportThemeIcons: false };
}
