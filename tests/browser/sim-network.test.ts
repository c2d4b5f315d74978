/**
 * The simulated network answers only the Lab page's own fetches, with headers from an allow-list.
 * Navigations (frames, tabs, popups) and other contexts' requests (a worker's fetch) pass through to
 * the real network, even though MSW's service worker hands them to the page that runs the Lab.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startLab } from '../../src/sim/lab.ts';
import type { SimController } from '../../src/sim/protocol.ts';
import { SIMULATED_RESPONSE_CSP, simulatedResponseHeaders } from '../../src/sim/response-headers.ts';

const labs: SimController[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  for (const lab of labs.splice(0)) await lab.dispose();
});

async function newLab(): Promise<SimController> {
  const lab = await startLab({ store: { kind: 'memory' }, base: '/' });
  labs.push(lab);
  return lab;
}

function requestsLogged(lab: SimController): string[] {
  return lab.events().flatMap((event) => (event.kind === 'request' ? [`${event.method} ${event.path}`] : []));
}

/** Runs `source` in a dedicated worker of this page; resolves to what it posts first. */
function inWorker(source: string): Promise<unknown> {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const worker = new Worker(url, { type: 'module' });
  cleanups.push(() => {
    worker.terminate();
    URL.revokeObjectURL(url);
  });
  return new Promise((resolve, reject) => {
    worker.addEventListener('message', (event) => resolve(event.data), { once: true });
    worker.addEventListener('error', (event) => reject(new Error(event.message)), { once: true });
  });
}

describe('simulated response headers', () => {
  it('declare JSON as JSON, and forbid sniffing and scripts on every response', () => {
    const headers = simulatedResponseHeaders([['Content-Type', 'application/json; charset=utf-8'], ['cache-control', 'no-store']], { hasBody: true });
    expect(Object.fromEntries(headers)).toEqual({
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': SIMULATED_RESPONSE_CSP,
      'cross-origin-resource-policy': 'same-origin',
    });
  });

  it('serve any other declared type as plain text', () => {
    for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/javascript', 'nonsense']) {
      expect(simulatedResponseHeaders([['content-type', type]], { hasBody: true }).get('content-type')).toBe('text/plain; charset=utf-8');
    }
    expect(simulatedResponseHeaders([], { hasBody: true }).get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('never copy what the server says about security, framing, redirects, cookies or CORS', () => {
    const sent: [string, string][] = [
      ['content-security-policy', "script-src 'unsafe-inline'"],
      ['x-content-type-options', 'none'],
      ['x-frame-options', 'ALLOWALL'],
      ['location', 'https://attacker.example/'],
      ['refresh', '0; url=https://attacker.example/'],
      ['set-cookie', 'a=b'],
      ['access-control-allow-origin', '*'],
      ['link', '<https://attacker.example/x.js>; rel=preload; as=script'],
      ['service-worker-allowed', '/'],
    ];
    const headers = simulatedResponseHeaders(sent, { hasBody: false });
    expect(Object.fromEntries(headers)).toEqual({
      'x-content-type-options': 'nosniff',
      'content-security-policy': SIMULATED_RESPONSE_CSP,
      'cross-origin-resource-policy': 'same-origin',
    });
  });
});

describe('the simulated network', () => {
  it('answers the Lab page’s own fetch, with the allow-listed headers', async () => {
    const lab = await newLab();
    const response = await fetch('/api/account');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe(SIMULATED_RESPONSE_CSP);
    expect(requestsLogged(lab)).toEqual(['GET /api/account']);
  });

  it('does not answer a worker’s fetch of the Lab’s routes, though MSW hands it to this page', async () => {
    const lab = await newLab();
    const seen = await inWorker(`
      const response = await fetch(new URL('/api/account', location.origin));
      postMessage({ status: response.status, csp: response.headers.get('content-security-policy') });`);
    expect(seen).not.toMatchObject({ csp: SIMULATED_RESPONSE_CSP });
    expect(requestsLogged(lab)).toEqual([]);
  });

  it('does not answer a frame navigating to the Lab’s routes', async () => {
    const lab = await newLab();
    const frame = document.createElement('iframe');
    cleanups.push(() => frame.remove());
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    frame.src = '/api/account';
    document.body.append(frame);
    await loaded;
    expect(requestsLogged(lab)).toEqual([]);
  });

  it('gives the page its own fetch back when the Lab is disposed', async () => {
    const before = globalThis.fetch;
    const lab = await newLab();
    expect(globalThis.fetch).not.toBe(before);
    await lab.dispose();
    expect(globalThis.fetch).toBe(before);
  });
});
