/**
 * The headers a simulated response may carry to the page. The simulated server runs a reader's code,
 * so its headers are untrusted: they are built from an allow-list, never copied. Every simulated
 * response says what it is (JSON or plain text), forbids MIME sniffing, and carries a sandboxing CSP,
 * so that even if one were ever rendered as a document it would run no script on the site's origin.
 */

/** The CSP of every simulated response: a sandboxed, opaque origin that may load nothing. */
export const SIMULATED_RESPONSE_CSP = "sandbox; default-src 'none'";

/** The media types a simulated response may declare, and the exact header value each gets. */
const CONTENT_TYPES: ReadonlyMap<string, string> = new Map([
  ['application/json', 'application/json'],
  ['text/plain', 'text/plain; charset=utf-8'],
]);

/** What a body of any other (or no) declared type is served as. */
const FALLBACK_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** Headers passed on as the server sent them: they describe caching and retries, nothing the browser would run. */
const PASSED_ON = new Set(['cache-control', 'retry-after', 'allow', 'etag', 'last-modified', 'vary', 'www-authenticate']);

/**
 * The page's headers for a simulated response whose server sent `headers`. `hasBody` says whether
 * the response has a body, and so a content type.
 *
 * @example
 * simulatedResponseHeaders([['content-type', 'text/html'], ['x-frame-options', 'ALLOW']], { hasBody: true });
 * // content-type: text/plain; charset=utf-8, x-content-type-options: nosniff, content-security-policy: sandbox; default-src 'none', …
 */
export function simulatedResponseHeaders(headers: readonly (readonly [string, string])[], { hasBody }: { hasBody: boolean }): Headers {
  const result = new Headers();
  let declared: string | undefined;
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    if (key === 'content-type') declared ??= mediaType(value);
    else if (PASSED_ON.has(key)) appendIfValid(result, key, value);
  }
  if (hasBody) result.set('content-type', (declared && CONTENT_TYPES.get(declared)) ?? FALLBACK_CONTENT_TYPE);
  result.set('x-content-type-options', 'nosniff');
  result.set('content-security-policy', SIMULATED_RESPONSE_CSP);
  result.set('cross-origin-resource-policy', 'same-origin');
  return result;
}

/** A Content-Type's type/subtype, lower-cased, without parameters (RFC 9110 §8.3.1). */
function mediaType(value: string): string {
  return (value.split(';', 1)[0] ?? '').trim().toLowerCase();
}

/** Headers refuses values no HTTP header can have (line breaks, NUL): such a header is left out. */
function appendIfValid(headers: Headers, name: string, value: string): void {
  try {
    headers.append(name, value);
  } catch {
    // Not a header value: dropped, like anything else not on the list.
  }
}
