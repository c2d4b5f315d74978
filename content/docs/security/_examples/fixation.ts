import { Session } from 'sessionlab';

const sessions = new Session({
  secret: crypto.randomUUID() + crypto.randomUUID(),
  cleanInterval: false,
});
sessions.on('session-rotated', (event) => {
  console.log(`session id rotated at login of ${event.userId}`);
});
const url = 'https://shop.example/';
const nameValue = (setCookie: string | null) => setCookie!.split(';')[0]!;
const userOf = async (cookie: string) =>
  (await sessions.load({ cookie, url })).userId;

// Mallory signs in to her own account and keeps her cookie.
const mallory = await sessions.load({ cookie: null, url });
await mallory.login('mallory');
const planted = nameValue(await mallory.commit());

// Suppose she gets that cookie into Ada's browser.
// Ada signs in, and her request carries the planted cookie.
const ada = await sessions.load({ cookie: planted, url });
await ada.login('ada');
const adasCookie = nameValue(await ada.commit());

// Mallory's copy leads nowhere; Ada's new cookie leads to Ada.
console.log(`planted cookie: user ${await userOf(planted)}`);
console.log(`Ada's new cookie: user ${await userOf(adasCookie)}`);
