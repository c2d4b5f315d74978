import { Session } from 'sessionlab';

// A throwaway secret. A real one comes from the environment.
const secret = crypto.randomUUID() + crypto.randomUUID();
const session = new Session({ secret, cleanInterval: false });
session.on('store-call', (event) => {
  console.log(`store.${event.method}()`);
});
session.on('cookie-rejected', (event) => {
  console.log(`cookie rejected: ${event.reason}`);
});
const url = 'https://shop.example/';

// Sign in: the response would carry this Set-Cookie header.
const signIn = await session.load({ cookie: null, url });
await signIn.login('ada');
const setCookie = (await signIn.commit())!;
const cookie = setCookie.split(';')[0]!; // "name=token.signature"

// The next request sends the cookie back unchanged.
const genuine = await session.load({ cookie, url });
console.log(`genuine cookie: user ${genuine.userId}`);

// Change one character of the token; keep the signature.
const [name, value] = cookie.split('=') as [string, string];
const first = value.startsWith('A') ? 'B' : 'A';
const tampered = `${name}=${first}${value.slice(1)}`;
const forged = await session.load({ cookie: tampered, url });
console.log(`tampered cookie: user ${forged.userId}`);
console.log(`Set-Cookie: ${await forged.commit()}`);
