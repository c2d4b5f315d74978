/**
 * A worker set up the way the simulated server is: virtual `Date`, the reader-module registry, then
 * `lockDownRealm()`. Afterwards it runs "reader code" the page sends it, as a blob module (as the
 * playground loads a reader's store), and posts back what that code's default export returned.
 *
 * Messages in: `{ id, code }` runs `code`; `{ id, clock }` sets the virtual clock.
 * Messages out: `{ id, ok: true, value }` or `{ id, ok: false, error }`.
 */
import { lockDownRealm } from '../../src/sim/lockdown.ts';
import { provideReaderModules } from '../../src/sim/reader-modules.ts';
import { installVirtualDate } from '../../src/sim/virtual-date.ts';
import type { ClockState } from '../../src/sim/virtual-clock.ts';

let clockState: ClockState = { offset: 0, pausedAt: null };
installVirtualDate(() => clockState);
provideReaderModules();
const post = self.postMessage.bind(self);
lockDownRealm();

self.addEventListener('message', (event: MessageEvent<{ id: number; code?: string; clock?: ClockState }>) => {
  const { id, code, clock } = event.data;
  if (clock) {
    clockState = clock;
    post({ id, ok: true, value: null });
    return;
  }
  const url = URL.createObjectURL(new Blob([code ?? ''], { type: 'text/javascript' }));
  import(/* @vite-ignore */ url)
    .then((module: { default: () => unknown }) => module.default())
    .then(
      (value) => post({ id, ok: true, value }),
      (error: unknown) => post({ id, ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
    )
    .finally(() => URL.revokeObjectURL(url));
});
post({ id: 0, ok: true, value: 'ready' });
