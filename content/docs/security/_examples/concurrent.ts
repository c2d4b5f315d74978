import { MemoryStore, Session } from 'sessionlab';

const sessions = new Session<{ cart: string[] }>({
  secret: crypto.randomUUID() + crypto.randomUUID(),
  store: new MemoryStore(), // it has compareAndSet
  cleanInterval: false,
});
sessions.on('session-merged', (event) => {
  console.log(`merged, attempt ${event.attempt}`);
});
const url = 'https://shop.example/';

const signIn = await sessions.load({ cookie: null, url });
await signIn.login('ada', { cart: [] });
const cookie = (await signIn.commit())!.split(';')[0]!;

// Two tabs add to the cart at once: both requests load version 0.
const tabA = await sessions.load({ cookie, url });
const tabB = await sessions.load({ cookie, url });
tabA.data!.cart.push('shortbread');
tabB.data!.cart.push('gingerbread');
await Promise.all([tabA.commit(), tabB.commit()]);

const later = await sessions.load({ cookie, url });
console.log(`cart: ${JSON.stringify(later.data!.cart)}`);
