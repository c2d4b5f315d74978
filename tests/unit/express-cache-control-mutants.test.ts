/**
 * The Express adapter's Cache-Control for a response that sets the session cookie, in the forms a
 * route can give it: a header set before (a string or a list of values), or `writeHead()` headers
 * as an object, a flat `[name, value, ...]` list, or none. The Cache-Control judged is the one Node
 * sends: writeHead's own when it has one, else the response's. Real Express apps on 127.0.0.1.
 */
import type { Response as ExpressResponse } from 'express';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { browse, makeApp, type TestApp } from '../support/express-app.ts';
import { makeSession } from '../support/harness.ts';

/** An app whose POST /login signs in, then answers through `route`. */
function loginApp(route: (res: ExpressResponse) => void): TestApp {
  return makeApp(makeSession().session, (app) =>
    app.post('/login', async (req, res) => {
      await req.session.login('ada');
      route(res);
    }),
  );
}

async function login(route: (res: ExpressResponse) => void): Promise<{ response: Response; errors: unknown[] }> {
  const { app, errors } = loginApp(route);
  const response = await (await browse(app)).send('/login', { method: 'POST' });
  return { response, errors };
}

describe('Express: the Cache-Control of a response that sets the session cookie', () => {
  let warn: MockInstance<typeof console.warn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  it('is no-store when the route set none, and nothing is said about it', async () => {
    const { response } = await login((res) => res.json({ ok: true }));
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(warn).not.toHaveBeenCalled();
  });

  it('keeps a private Cache-Control the route set as a list of values', async () => {
    const { response } = await login((res) => res.setHeader('Cache-Control', ['private', 'max-age=60']).end('ok'));
    expect(response.headers.get('cache-control')).toBe('private, max-age=60');
    expect(warn).not.toHaveBeenCalled();
  });

  it("keeps a private Cache-Control given in writeHead's flat header list", async () => {
    const { response } = await login((res) => res.writeHead(200, ['Cache-Control', 'private, max-age=60', 'Content-Type', 'text/plain']).end('ok'));
    expect(response.headers.get('cache-control')).toBe('private, max-age=60');
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(warn).not.toHaveBeenCalled();
  });

  it('keeps a private Cache-Control given in two entries of a flat header list (Node sends both)', async () => {
    const { response } = await login((res) => res.writeHead(200, ['Cache-Control', 'private', 'Cache-Control', 'max-age=60']).end('ok'));
    expect(response.headers.get('cache-control')).toBe('private, max-age=60');
    expect(warn).not.toHaveBeenCalled();
  });

  it('is no-store when writeHead gives a public one under a capitalised name', async () => {
    const { response } = await login((res) => res.writeHead(200, { 'Cache-Control': 'public, max-age=3600', 'Content-Type': 'text/plain' }).end('ok'));
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toBe('text/plain');
  });

  describe('when writeHead brings no Cache-Control of its own', () => {
    it.each<[string, (res: ExpressResponse) => ExpressResponse]>([
      ['an object of other headers', (res) => res.writeHead(200, { 'Content-Type': 'text/plain' })],
      ['a flat list of other headers', (res) => res.writeHead(200, ['Content-Type', 'text/plain'])],
      ['no headers', (res) => res.writeHead(200)],
      // Node takes null for "no headers" as it takes undefined.
      ['null', (res) => res.writeHead(200, null as never)],
    ])('keeps the private one set before it, for writeHead with %s', async (_form, writeHead) => {
      const { response, errors } = await login((res) => {
        res.setHeader('Cache-Control', 'private, max-age=60');
        writeHead(res).end('ok');
      });
      expect(errors).toEqual([]);
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()).toHaveLength(1);
      expect(response.headers.get('cache-control')).toBe('private, max-age=60');
      expect(warn).not.toHaveBeenCalled();
    });
  });

  it('passes a writeHead whose Cache-Control value is undefined to the error handler, as Node refuses it', async () => {
    const { response, errors } = await login((res) => res.writeHead(200, { 'Cache-Control': undefined }).end('never sent'));
    expect(response.status).toBe(500);
    expect(errors).toEqual([expect.objectContaining({ code: 'ERR_HTTP_INVALID_HEADER_VALUE' })]);
  });

  it('replaces a null Cache-Control in writeHead, which Node would send as the text "null"; the request is answered', async () => {
    const { response, errors } = await login((res) => res.writeHead(200, { 'Cache-Control': null } as never).end('ok'));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe('ok');
    expect(errors).toEqual([]);
  });

  it('replaces a public Cache-Control given as the third argument after an undefined message, where Node reads it', async () => {
    const { response } = await login((res) => res.writeHead(200, undefined as never, { 'Cache-Control': 'public, max-age=3600', 'X-Kind': 'demo' }).end('ok'));
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-kind')).toBe('demo');
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('replaces a public Cache-Control in the second argument when the third is null, where Node reads the second', async () => {
    const { response } = await login((res) => res.writeHead(200, { 'Cache-Control': 'public, max-age=3600' } as never, null as never).end('ok'));
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps the Cache-Control the route set before a writeHead with a message and no headers', async () => {
    const { response } = await login((res) => {
      res.setHeader('Cache-Control', 'private, max-age=60');
      res.writeHead(201, 'Made').end();
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('private, max-age=60');
  });

  it('judges, of two spellings in a writeHead object, the one Node sends: the last', async () => {
    const replaced = await login((res) => res.writeHead(200, { 'cache-control': 'private', 'Cache-Control': 'public, max-age=3600' }).end('ok'));
    expect(replaced.response.headers.get('cache-control')).toBe('no-store');
    const kept = await login((res) => res.writeHead(200, { 'Cache-Control': 'public, max-age=3600', 'cache-control': 'private' }).end('ok'));
    expect(kept.response.headers.get('cache-control')).toBe('private');
  });
});
