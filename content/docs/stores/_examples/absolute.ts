import { Session } from 'sessionlab';

// A clock this script moves by hand, starting at 09:00.
let now = Date.parse('2030-01-07T09:00:00Z');
const minutes = (count: number) => count * 60_000;
const hhmm = (iso: string | null) => iso?.slice(11, 16) ?? '-';

const sessions = new Session({
  secret: crypto.randomUUID() + crypto.randomUUID(),
  sessionDuration: minutes(30),
  absoluteDuration: minutes(120),
  cleanInterval: false,
  clock: { now: () => now },
});
const url = 'https://shop.example/';

// Ada signs in at 09:00; the browser keeps the cookie.
const signIn = await sessions.load({ cookie: null, url });
await signIn.login('ada');
const cookie = (await signIn.commit())!.split(';')[0]!;

// Then she clicks something every 20 minutes: never idle for 30.
for (let click = 1; click <= 6; click++) {
  now += minutes(20);
  const request = await sessions.load({ cookie, url });
  await request.commit();
  const time = hhmm(new Date(now).toISOString());
  const ends = hhmm(request.expires);
  console.log(`${time}  user ${request.userId}, session ends ${ends}`);
}
