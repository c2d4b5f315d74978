/**
 * Share links: the code travels in the URL fragment (never sent to a server), compressed with the
 * browser's own `CompressionStream('deflate-raw')` and written in base64url (RFC 4648 §5), so a
 * typical store fits in a link of a couple of kilobytes.
 *
 * @example
 * location.hash = await encodeShare({ language: 'typescript', code });   // "#code=…"
 * const shared = await decodeShare(location.hash);                         // { language, code } or null
 */
import type { PlaygroundLanguage } from '../editor/editor-language.ts';

export interface SharedCode {
  language: PlaygroundLanguage;
  code: string;
}

const PREFIX = 'code=';
/** The version of the payload's shape; a link from a future version is ignored rather than misread. */
const VERSION = 1;

/** The fragment, `#` included, that carries `shared`. */
export async function encodeShare(shared: SharedCode): Promise<string> {
  const json = JSON.stringify({ v: VERSION, l: shared.language === 'typescript' ? 'ts' : 'js', c: shared.code });
  const compressed = await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw'));
  return `#${PREFIX}${toBase64Url(compressed)}`;
}

/** Whether a fragment is a share link's (carries code, or tries to). */
export function isShareFragment(hash: string): boolean {
  return (hash.startsWith('#') ? hash.slice(1) : hash).startsWith(PREFIX);
}

/** The code a fragment carries, or null when it carries none (or is damaged: never an exception). */
export async function decodeShare(hash: string): Promise<SharedCode | null> {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!fragment.startsWith(PREFIX)) return null;
  try {
    const bytes = fromBase64Url(fragment.slice(PREFIX.length));
    const json = new TextDecoder().decode(await pipe(bytes, new DecompressionStream('deflate-raw')));
    const payload = JSON.parse(json) as { v?: unknown; l?: unknown; c?: unknown };
    if (payload.v !== VERSION || typeof payload.c !== 'string' || (payload.l !== 'ts' && payload.l !== 'js')) return null;
    return { language: payload.l === 'ts' ? 'typescript' : 'javascript', code: payload.c };
  } catch {
    return null;
  }
}

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}
