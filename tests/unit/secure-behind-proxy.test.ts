/**
 * Behind a proxy that ends TLS, the app often sees plain http to 127.0.0.1 (nginx's default
 * `proxy_pass http://127.0.0.1:3000` sends that as Host, and no X-Forwarded-Proto). Under
 * `cookie.secure: 'auto'` such a request must not get the local-development cookie (no Secure, no
 * `__Host-` name): one that carries a header a proxy adds keeps Secure. A browser on this machine
 * talking to the dev server straight sends none of them, and keeps the http cookie it needs.
 */
import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import { withSession } from 'sessionlab/fetch';
import { FORWARDING_HEADERS } from '../../src/session/session-cookie.ts';
import { makeSession } from '../support/harness.ts';
import { browse, makeApp } from '../support/express-app.ts';

const PROXY_HEADERS: Record<(typeof FORWARDING_HEADERS)[number], string> = {
  forwarded: 'for=203.0.113.9;proto=https',
  'x-forwarded-for': '203.0.113.9',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'app.example',
  'x-real-ip': '203.0.113.9',
  via: '1.1 proxy',
};

function isSecureCookie(setCookie: string | null): boolean {
  expect(setCookie).not.toBeNull();
  return /;\s*Secure/i.test(setCookie!) && setCookie!.startsWith('__Host-');
}

describe("secure: 'auto' behind a proxy", () => {
  it('lists every header nginx, Apache, Caddy and RFC 7239 proxies add', () => {
    expect([...FORWARDING_HEADERS].sort()).toEqual(Object.keys(PROXY_HEADERS).sort());
  });

  describe('the Session', () => {
    it('keeps Secure and the __Host- name for a forwarded request to http://127.0.0.1', async () => {
      const { session } = makeSession();
      const handle = await session.load({ cookie: null, url: 'http://127.0.0.1:3000/', forwarded: true });
      await handle.login('ada');
      expect(isSecureCookie(await handle.commit())).toBe(true);
    });

    it('still sends the local-development cookie to a request that came straight to it', async () => {
      const { session } = makeSession();
      const handle = await session.load({ cookie: null, url: 'http://127.0.0.1:3000/', forwarded: false });
      await handle.login('ada');
      expect(isSecureCookie(await handle.commit())).toBe(false);
    });

    it("never turns Secure on against an explicit secure: false", async () => {
      const { session } = makeSession({ cookie: { secure: false } });
      const handle = await session.load({ cookie: null, url: 'http://127.0.0.1:3000/', forwarded: true });
      await handle.login('ada');
      expect(await handle.commit()).not.toMatch(/;\s*Secure/i);
    });
  });

  describe('the Fetch adapter', () => {
    const app = () =>
      withSession(makeSession().session, async (_request, { session }) => {
        await session.login('ada');
        return new Response('ok');
      });

    for (const [name, value] of Object.entries(PROXY_HEADERS)) {
      it(`counts ${name} as a proxy's`, async () => {
        const response = await app()(new Request('http://127.0.0.1:3000/login', { headers: { [name]: value } }));
        expect(isSecureCookie(response.headers.get('set-cookie'))).toBe(true);
      });
    }

    it('without any of them, answers http://127.0.0.1 with the local-development cookie', async () => {
      const response = await app()(new Request('http://127.0.0.1:3000/login'));
      expect(isSecureCookie(response.headers.get('set-cookie'))).toBe(false);
    });
  });

  describe('the Express adapter, without trust proxy', () => {
    const server = () => {
      const { app } = makeApp(makeSession().session, (routes: Express) => {
        routes.get('/login', async (req, res) => {
          await req.session.login('ada');
          res.send('ok');
        });
      });
      return browse(app);
    };

    for (const [name, value] of Object.entries(PROXY_HEADERS)) {
      it(`counts ${name} as a proxy's`, async () => {
        const response = await (await server()).send('/login', { headers: { [name]: value } });
        expect(isSecureCookie(response.headers.get('set-cookie'))).toBe(true);
      });
    }

    it('without any of them, answers http://127.0.0.1 with the local-development cookie', async () => {
      const response = await (await server()).send('/login');
      expect(isSecureCookie(response.headers.get('set-cookie'))).toBe(false);
    });
  });
});
