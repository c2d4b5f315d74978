/**
 * The inspector: the store's records as they are now, the browser's cookie jar, and what page
 * script can see of it (`document.cookie`). Records are re-read after events; expiry times are
 * shown against the virtual clock and move with it.
 */
import type { SessionRecord } from '../../session/index.ts';
import type { JarCookie, SimController, SimEvent } from '../../sim/protocol.ts';
import type { LabContext, LabPart } from './lab-context.ts';
import { formatDateTime, formatRelative, formatShortTime, shortId, shortValue } from './lab-format.ts';
import { isSharedStore, storeLabel } from './lab-scenarios.ts';

/** Numbers the hints' ids, unique on the page. */
let hintIds = 0;

/** A store that takes longer than this to list its records is reported as not answering. */
const RECORDS_TIMEOUT_MS = 1500;

/** One server's own records, when each server has a store of its own (Memory behind a balancer). */
interface ServerRecords {
  server: number;
  records: SessionRecord[];
  /** A stopped server: its memory went with its process. */
  stopped?: boolean;
}

export class LabInspector implements LabPart {
  readonly #context: LabContext;
  #records: SessionRecord[] = [];
  /** Per server, when several servers each keep their own records; null when there is one store to show. */
  #byServer: ServerRecords[] | null = null;
  #reading = false;
  #readAgain = false;
  /** Why no records are listed: a failure (`bad`), or a store that does not list its records (neutral). */
  #recordsNote: { text: string; tone: 'bad' | 'neutral' } | null = null;
  #jarKey = '';

  constructor(context: LabContext) {
    this.#context = context;
    context.part('jar')?.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('button[data-tamper]');
      if (button) void this.#tamper(button.dataset['tamper'] ?? '');
    });
  }

  /**
   * Changes one character of the cookie's token in the jar, as anyone can in their own browser: the
   * signature no longer matches, and the server's next look at the cookie says so.
   */
  async #tamper(name: string): Promise<void> {
    const controller = await this.#context.ready;
    const cookie = controller.cookies().find((candidate) => candidate.name === name);
    if (!cookie) return;
    try {
      controller.editCookie(name, tampered(cookie.value));
      this.#context.status(`Changed one character of the ${name} cookie. Now use the demo app (Reload page): the server checks the signature before anything else.`, 'ok');
    } catch (error) {
      this.#context.status(`The cookie could not be changed: ${error instanceof Error ? error.message : String(error)}`, 'error');
    }
    this.#context.refresh();
  }

  onStart(controller: SimController): void {
    this.#records = [];
    this.#byServer = null;
    this.#recordsNote = null;
    this.#jarKey = '';
    void this.#readRecords(controller);
  }

  onEvents(events: readonly SimEvent[], controller: SimController): void {
    if (events.some((event) => event.kind !== 'clock' || event.step === 'jump')) void this.#readRecords(controller);
  }

  onTick(controller: SimController): void {
    const now = controller.now();
    const clock = this.#context.part('inspector-clock');
    if (clock) {
      clock.textContent = formatDateTime(now);
      clock.setAttribute('datetime', new Date(now).toISOString());
    }
    const storeName = this.#context.part('records-store');
    if (storeName) storeName.textContent = this.#storeName(controller);
    this.#renderRecords(now);
    this.#renderJar(controller.cookies(), now);
    const script = this.#context.part('document-cookie');
    if (script) script.textContent = JSON.stringify(document.cookie);
  }

  /** One read at a time; events during a read ask for one more afterwards. */
  async #readRecords(controller: SimController): Promise<void> {
    if (this.#reading) {
      this.#readAgain = true;
      return;
    }
    this.#reading = true;
    try {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), RECORDS_TIMEOUT_MS);
      });
      const result = await Promise.race([this.#read(controller), timeout]).finally(() => clearTimeout(timer));
      if (result === 'timeout') {
        this.#recordsNote = { text: 'The store is not answering, so its records cannot be listed.', tone: 'bad' };
      } else if (result === 'not-listed') {
        // all() is optional: a store without it is not broken, it only keeps its records to itself.
        const store = storeLabel(this.#context.store);
        this.#recordsNote = {
          text: `${store} does not list its records: it offers no all(), which is optional. To see them here, add all() and return every stored record (expired ones too, as copies).`,
          tone: 'neutral',
        };
      } else {
        this.#records = byAge(result.flatMap((entry) => entry.records));
        this.#byServer = result.length > 1 || result[0]?.server !== 0 ? result.map((entry) => ({ ...entry, records: byAge(entry.records) })) : null;
        this.#recordsNote = null;
      }
    } catch (error) {
      this.#recordsNote = { text: `The records could not be read: ${error instanceof Error ? error.message : String(error)}`, tone: 'bad' };
    } finally {
      this.#reading = false;
    }
    this.#renderRecords(controller.now());
    if (this.#readAgain) {
      this.#readAgain = false;
      void this.#readRecords(controller);
    }
  }

  /**
   * The records to show: one list when the servers share one store (or there is one server); each
   * running server's own when every server keeps its own (server 0 stands for "the one store").
   * `not-listed` when the store does not list its records (the server answers null: it has no all()).
   */
  async #read(controller: SimController): Promise<ServerRecords[] | 'not-listed'> {
    if (controller.servers.length === 1 || isSharedStore(this.#context.store)) {
      const records: SessionRecord[] | null = await controller.records();
      return records === null ? 'not-listed' : [{ server: 0, records }];
    }
    const listed = await Promise.all(
      controller.servers.map(async ({ id, state }): Promise<ServerRecords | null> => {
        if (state !== 'running') return { server: id, records: [], stopped: true };
        const records: SessionRecord[] | null = await controller.records(id);
        return records === null ? null : { server: id, records };
      }),
    );
    return listed.every((entry) => entry !== null) ? listed : 'not-listed';
  }

  #storeName(controller: SimController): string {
    const store = storeLabel(this.#context.store);
    const count = controller.servers.length;
    if (count === 1) return store;
    return isSharedStore(this.#context.store) ? `${store} · shared by ${count} servers` : `${store} · one per server`;
  }

  #renderRecords(now: number): void {
    const body = this.#context.part('records-body');
    const status = this.#context.part('records-status');
    const table = this.#context.part('records');
    if (!body) return;
    const rows = this.#recordsNote ? [] : this.#records;
    const byServer = this.#recordsNote ? null : this.#byServer;
    body.replaceChildren(
      ...(byServer
        ? byServer.flatMap(({ server, records, stopped }) => [serverRow(server, stopped ? null : records.length), ...records.map((record) => this.#recordRow(record, now))])
        : rows.map((record) => this.#recordRow(record, now))),
    );
    if (table) table.hidden = rows.length === 0 && !byServer?.length;
    if (status) {
      status.hidden = rows.length > 0 || Boolean(byServer?.length);
      status.dataset['tone'] = this.#recordsNote?.tone === 'bad' ? 'bad' : '';
      status.textContent = this.#recordsNote?.text ?? 'The store is empty: nobody is signed in.';
    }
  }

  #recordRow(record: SessionRecord, now: number): HTMLTableRowElement {
    const row = document.createElement('tr');
    const expiresAt = Date.parse(record.expires);
    const expired = !(expiresAt > now);
    row.dataset['expired'] = String(expired);

    const id = cell(shortId(record.sessionId), 'lab-mono');
    id.title = record.sessionId;
    const expires = cell(Number.isNaN(expiresAt) ? record.expires : formatRelative(expiresAt, now));
    if (!Number.isNaN(expiresAt)) {
      expires.title = `${formatDateTime(expiresAt)}${expired ? ': expired, still stored until it is read or cleaned' : ''}`;
      const at = document.createElement('span');
      at.className = 'lab-cell-note';
      at.textContent = expired ? 'expired, still stored' : `at ${formatShortTime(expiresAt)}`;
      expires.append(at);
    }
    const data = JSON.stringify(record.data ?? {});
    const dataCell = cell(data.length > 80 ? `${data.slice(0, 79)}…` : data, 'lab-mono lab-cell-data');
    dataCell.title = data;
    row.append(id, cell(record.userId), expires, cell(String(record.version), 'lab-mono'), dataCell);
    return row;
  }

  #renderJar(cookies: JarCookie[], now: number): void {
    const list = this.#context.part('jar');
    const empty = this.#context.part('jar-empty');
    if (!list) return;
    // Rebuilt only when something visible changed: keeps the list still under a screen reader's cursor.
    const key = JSON.stringify(cookies) + (cookies.some((cookie) => cookie.expires) ? Math.floor(now / 1000) : '');
    if (key === this.#jarKey) return;
    this.#jarKey = key;
    // Rebuilding drops focus: keep it on the same cookie's button.
    const focused = list.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset['tamper'] : undefined;
    list.replaceChildren(...cookies.map((cookie) => jarItem(cookie, now)));
    if (focused !== undefined) list.querySelector<HTMLButtonElement>(`button[data-tamper="${CSS.escape(focused)}"]`)?.focus();
    list.hidden = cookies.length === 0;
    if (empty) empty.hidden = cookies.length > 0;
  }
}

function jarItem(cookie: JarCookie, now: number): HTMLLIElement {
  const item = document.createElement('li');
  item.className = 'lab-cookie';
  const head = document.createElement('p');
  head.className = 'lab-cookie-head';
  const name = document.createElement('code');
  name.className = 'lab-cookie-name';
  name.textContent = cookie.name;
  const value = document.createElement('code');
  value.className = 'lab-cookie-value';
  value.textContent = shortValue(cookie.value, 16);
  value.title = 'The value, cut short: a signed random token, meaningless without the server’s secret';
  head.append(name, document.createTextNode(' = '), value);

  const badges = document.createElement('p');
  badges.className = 'lab-badges';
  const flags: [string, boolean, string][] = [
    ['HttpOnly', cookie.httpOnly, 'hidden from page script'],
    ['Secure', cookie.secure, 'sent over HTTPS only'],
    [cookie.sameSite === 'unset' ? 'SameSite' : `SameSite=${capitalize(cookie.sameSite)}`, cookie.sameSite !== 'none' && cookie.sameSite !== 'unset', 'kept off cross-site requests'],
    [`Path=${cookie.path}`, true, 'sent to these paths'],
  ];
  for (const [label, on, meaning] of flags) {
    const badge = document.createElement('span');
    badge.className = 'lab-badge';
    badge.dataset['on'] = String(on);
    badge.textContent = on ? label : `${label}: off`;
    badge.title = on ? meaning : `${label} is not set: not ${meaning}`;
    badges.append(badge);
  }
  if (!cookie.httpOnly) {
    const warn = document.createElement('span');
    warn.className = 'lab-badge';
    warn.dataset['on'] = 'false';
    warn.textContent = 'script can read it';
    badges.append(warn);
  }

  const expiry = document.createElement('p');
  expiry.className = 'ui-hint';
  if (cookie.expires === null) {
    expiry.textContent = 'Expires when the browser closes (a session cookie); the server decides when the session itself ends.';
  } else {
    const at = Date.parse(cookie.expires);
    expiry.textContent = `Expires ${formatRelative(at, now)} (${formatShortTime(at)}).`;
  }
  const actions = document.createElement('p');
  actions.className = 'lab-cookie-actions';
  const tamper = document.createElement('button');
  tamper.type = 'button';
  tamper.className = 'ui-button ui-button-small';
  tamper.dataset['tamper'] = cookie.name;
  tamper.textContent = 'Tamper with it';
  const hint = document.createElement('span');
  hint.className = 'ui-hint';
  hint.id = `lab-tamper-hint-${++hintIds}`;
  tamper.setAttribute('aria-describedby', hint.id);
  hint.textContent = 'Changes one character of its value, as anyone can in their own browser’s developer tools.';
  actions.append(tamper, hint);
  item.append(head, badges, expiry, actions);
  if (!cookie.secure && location.protocol === 'http:') {
    const why = document.createElement('p');
    why.className = 'ui-hint';
    why.textContent = 'No Secure flag: this page is plain http on your machine, where sessionlab leaves Secure off so local development works. Over https it is always on.';
    item.append(why);
  }
  return item;
}

/**
 * The value with its first character changed: for a `token.signature` cookie, the token no longer
 * matches the signature, while the value keeps its shape (so it is a bad signature, not garbage).
 */
export function tampered(value: string): string {
  return (value.startsWith('A') ? 'B' : 'A') + value.slice(1);
}

function byAge(records: readonly SessionRecord[]): SessionRecord[] {
  return [...records].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}

/** The heading row of one server's records: whose memory the rows below are in (`count` null: the server is stopped). */
function serverRow(server: number, count: number | null): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.className = 'lab-server-records';
  row.dataset['server'] = String(server);
  const heading = document.createElement('th');
  heading.scope = 'colgroup';
  heading.colSpan = 5;
  heading.textContent =
    count === null
      ? `Server ${server} is stopped: its memory went with its process`
      : `Server ${server}’s memory: ${count === 0 ? 'empty, nobody is signed in here' : `${count} ${count === 1 ? 'session' : 'sessions'}`}`;
  row.append(heading);
  return row;
}

function cell(text: string, className = ''): HTMLTableCellElement {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = text;
  return td;
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
