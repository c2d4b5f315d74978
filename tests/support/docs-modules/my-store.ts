/**
 * `./my-store.js` for the docs snippets that import the store the reader writes on the page
 * (content/docs/start/custom-store.mdx). Any store does: the snippets only construct it.
 */
import { MemoryStore } from 'sessionlab';

export class MyStore extends MemoryStore {}
