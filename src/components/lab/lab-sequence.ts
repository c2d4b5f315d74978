/**
 * The sequence diagram: the browser, the server and the store as lifelines, and every event as an
 * arrow between them or a note on one, drawn as SVG from the same events and words as the timeline.
 * Requests get a shaded band from the request to its response, so one exchange reads at a glance.
 */
import type { SimEvent } from '../../sim/protocol.ts';
import { describeEvent, serverName, type EventTone } from './lab-events.ts';
import { BROWSER_INFO } from './lab-scenarios.ts';
import { apiPath, formatElapsed, formatTime, shortId } from './lab-format.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
/**
 * A lifeline: the browser, the load balancer (with several servers), a server (`server`, or
 * `server-2` with several), the store.
 */
type Lane = 'browser' | 'balancer' | 'server' | `server-${number}` | 'store';

/** Lifeline positions as fractions of the width, by how many servers there are; the HTML lane titles use the same. */
const LAYOUTS: Record<number, [Lane, number][]> = {
  1: [['browser', 0.18], ['server', 0.52], ['store', 0.85]],
  2: [['browser', 0.1], ['balancer', 0.3], ['server-1', 0.5], ['server-2', 0.68], ['store', 0.9]],
  3: [['browser', 0.08], ['balancer', 0.24], ['server-1', 0.4], ['server-2', 0.55], ['server-3', 0.7], ['store', 0.91]],
};

/** The lifelines for `servers` servers, with their titles and positions (fractions of the width). */
export function sequenceLanes(servers: number, store: string, { shared = false }: { shared?: boolean } = {}): { lane: Lane; title: string; at: number }[] {
  const layout = LAYOUTS[servers] ?? LAYOUTS[1]!;
  return layout.map(([lane, at]) => ({ lane, at, title: laneTitle(lane, store, servers, shared) }));
}

function laneTitle(lane: Lane, store: string, servers: number, shared: boolean): string {
  if (lane === 'browser') return 'Browser';
  if (lane === 'balancer') return 'Balancer';
  // A MemoryStore per server: as many stores as servers, drawn as one lifeline.
  if (lane === 'store') return servers > 1 && !shared ? `Stores (${store} ×${servers})` : `Store (${store})`;
  return lane === 'server' ? 'Server' : `Server ${lane.slice('server-'.length)}`;
}

/** Pixel positions of the lifelines of one diagram. */
type Lanes = Map<Lane, number>;
/** Average glyph width of the labels (12px system sans), for cutting labels to the room they have. */
const CHAR = 6.6;
/** The same for notes (11.5px). */
const NOTE_CHAR = 6.1;

type Row =
  | { type: 'message'; from: Lane; to: Lane; label: string; sub: string; subAccent: boolean; dashed: boolean; tone: EventTone; time: number | null; title: string }
  | { type: 'note'; lane: Lane; text: string; tone: EventTone; time: number | null; title: string }
  | { type: 'divider'; text: string; tone: EventTone; time: number; title: string };

export interface SequenceOptions {
  base: string;
  /** The store's name for its lifeline's description. */
  store: string;
  /** How many servers run behind the balancer (1: no balancer lane). */
  servers: number;
  /** Whether the servers share one store (a database) rather than each keeping its own. */
  shared?: boolean;
}

export function renderSequence(events: readonly SimEvent[], options: SequenceOptions): SVGSVGElement {
  const lanes: Lanes = new Map(sequenceLanes(options.servers, options.store, { shared: options.shared ?? false }).map(({ lane, at }) => [lane, at * WIDTH]));
  const rows: { row: Row; requestId: number | null; closes: boolean }[] = [];
  for (const event of events) {
    for (const row of rowsOf(event, options.base, lanes)) {
      const requestId = event.kind === 'request' || event.kind === 'response' ? event.id : event.kind === 'session' ? event.requestId : null;
      rows.push({ row, requestId, closes: event.kind === 'response' });
    }
  }

  const svg = element('svg', {
    class: 'lab-seq',
    viewBox: `0 0 ${WIDTH} 10`,
    width: '100%',
    role: 'img',
    'aria-label': `Sequence diagram of ${events.length} ${events.length === 1 ? 'event' : 'events'} between the browser, ${
      options.servers > 1 ? `a load balancer, ${options.servers} servers and their` : 'the server and its'
    } ${options.store} store. The list view shows the same events as text.`,
  });
  const bands = element('g', { class: 'lab-seq-bands' });
  const lifelines = element('g', { class: 'lab-seq-lifelines' });
  const body = element('g');
  svg.append(bands, lifelines, body);

  let y = 12;
  const open = new Map<number, number>();
  for (const { row, requestId, closes } of rows) {
    const top = y;
    const height = heightOf(row);
    if (requestId !== null && !open.has(requestId) && row.type === 'message' && row.from === 'browser') open.set(requestId, top);
    body.append(draw(row, top, lanes));
    y += height;
    if (closes && requestId !== null && open.has(requestId)) {
      const start = open.get(requestId) ?? top;
      open.delete(requestId);
      bands.append(element('rect', { class: 'lab-seq-band', x: 2, y: start - 4, width: WIDTH - 4, height: y - start + 4, rx: 6 }));
    }
  }
  // A request still waiting for its answer: its band runs to the bottom, open-ended.
  for (const start of open.values()) {
    bands.append(element('rect', { class: 'lab-seq-band lab-seq-band-open', x: 2, y: start - 4, width: WIDTH - 4, height: y - start + 8, rx: 6 }));
  }

  const height = Math.max(y + 12, 60);
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);
  for (const x of lanes.values()) {
    lifelines.append(element('line', { class: 'lab-seq-lifeline', x1: x, y1: 0, x2: x, y2: height }));
  }
  return svg;
}

function rowsOf(event: SimEvent, base: string, lanes: Lanes): Row[] {
  const view = describeEvent(event, base);
  const title = view.detail ? `${view.title}. ${view.detail}` : view.title;
  // With several servers, a server's events sit on its own lifeline (one no longer shown falls back to the first).
  const serverLane = (server: number | null | undefined): Lane => {
    const lane: Lane = server === undefined || server === null ? 'server' : `server-${server}`;
    return lanes.has(lane) ? lane : lanes.has('server') ? 'server' : 'server-1';
  };
  const viaBalancer = lanes.has('balancer') && (event.kind === 'request' || event.kind === 'response') && event.server !== undefined;
  switch (event.kind) {
    case 'request':
      return [
        {
          type: 'message',
          from: 'browser',
          to: viaBalancer ? 'balancer' : serverLane(undefined),
          label: `${event.method} ${apiPath(event.path, base)}`,
          // Where it went is the balancer's arrow below; without a balancer lane, it is said here.
          sub: [
            // Which browser sent it, when there are several: they share the one lifeline.
            event.browser === undefined ? '' : `from ${BROWSER_INFO[event.browser].label}`,
            event.server === undefined || viaBalancer ? '' : `to ${serverName(event.server).toLowerCase()}`,
            event.cookies.length > 0 ? `Cookie: ${event.cookies.join(', ')}` : 'no cookie',
          ]
            .filter(Boolean)
            .join(' · '),
          subAccent: event.cookies.length > 0,
          dashed: false,
          tone: 'neutral',
          time: event.at,
          title,
        },
        // On to the server; the two-tabs demo's request, on to the server of each tab.
        ...(viaBalancer && event.server !== null
          ? (event.tabs ?? [event.server ?? null]).map(
              (server, index) =>
                ({
                  type: 'message',
                  from: 'balancer',
                  to: serverLane(server),
                  label: `${event.tabs ? `tab ${index + 1} ` : ''}to ${serverName(server).toLowerCase()}`,
                  sub: '',
                  subAccent: false,
                  dashed: false,
                  tone: 'neutral',
                  time: null,
                  title,
                }) satisfies Row,
            )
          : []),
      ];
    case 'response':
      return [
        {
          type: 'message',
          from: viaBalancer ? (event.server === null ? 'balancer' : serverLane(event.server)) : serverLane(undefined),
          to: 'browser',
          label: view.title,
          sub: event.setCookie ? `Set-Cookie: ${event.setCookie}` : '',
          subAccent: event.setCookie !== null,
          dashed: false,
          tone: view.tone,
          time: null,
          title,
        },
      ];
    case 'session': {
      const step = event.event;
      if (step.type === 'store-call') {
        const key = step.key === null ? '' : shortId(step.key);
        const result =
          step.outcome !== 'ok'
            ? step.outcome
            : step.result === undefined
              ? 'ok'
              : typeof step.result === 'number'
                ? `removed ${step.result}`
                : step.result;
        return [
          { type: 'message', from: serverLane(event.server), to: 'store', label: `${step.method}(${key})`, sub: '', subAccent: false, dashed: false, tone: 'neutral', time: event.requestId === null ? event.at : null, title },
          { type: 'message', from: 'store', to: serverLane(event.server), label: `${result} · ${formatElapsed(step.durationMs)}`, sub: '', subAccent: false, dashed: true, tone: view.tone, time: null, title },
        ];
      }
      return [{ type: 'note', lane: serverLane(event.server), text: view.title, tone: view.tone, time: null, title }];
    }
    case 'server':
      // On its own lifeline a server's step needs no name; on another's (it is no longer drawn) it does.
      return [
        {
          type: 'note',
          lane: serverLane(event.server),
          text: event.server === undefined || lanes.has(`server-${event.server}`) ? view.title : `${serverName(event.server)}: ${view.title}`,
          tone: view.tone,
          time: event.at,
          title,
        },
      ];
    case 'balancer':
      return [{ type: 'divider', text: view.title, tone: 'neutral', time: event.at, title }];
    case 'clock':
    case 'reset':
      return [{ type: 'divider', text: view.title, tone: 'neutral', time: event.at, title }];
    case 'jar':
      return [{ type: 'note', lane: 'browser', text: event.browser === undefined ? view.title : `${BROWSER_INFO[event.browser].label}: ${view.title}`, tone: view.tone, time: null, title }];
  }
}

function heightOf(row: Row): number {
  if (row.type === 'message') return row.sub ? 42 : row.dashed ? 24 : 28;
  if (row.type === 'divider') return 34;
  return 28;
}

function draw(row: Row, top: number, lanes: Lanes): SVGGElement {
  const group = element('g', { class: `lab-seq-row lab-seq-is-${row.type}`, 'data-tone': row.tone });
  const tooltip = element('title');
  tooltip.textContent = row.title;
  group.append(tooltip);
  if (row.time !== null && row.type !== 'divider') group.append(text(formatTime(row.time), 4, top + 13, 'lab-seq-time'));

  if (row.type === 'message') {
    const x1 = lanes.get(row.from) ?? 0;
    const x2 = lanes.get(row.to) ?? 0;
    const labelY = top + 12;
    const lineY = top + (row.sub ? 32 : row.dashed ? 16 : 20);
    const room = Math.abs(x2 - x1) - 16;
    const middle = (x1 + x2) / 2;
    group.append(text(fit(row.label, room, CHAR), middle, labelY, 'lab-seq-label', 'middle'));
    if (row.sub) {
      group.append(text(fit(row.sub, room, CHAR * 0.92), middle, labelY + 14, row.subAccent ? 'lab-seq-sub lab-seq-accent' : 'lab-seq-sub', 'middle'));
    }
    const direction = Math.sign(x2 - x1);
    group.append(
      element('line', {
        class: row.dashed ? 'lab-seq-arrow lab-seq-return' : 'lab-seq-arrow',
        x1: x1 + direction * 3,
        y1: lineY,
        x2: x2 - direction * 8,
        y2: lineY,
      }),
      element('path', {
        class: 'lab-seq-head',
        d: `M ${x2 - direction * 9} ${lineY - 4.5} L ${x2 - direction * 1.5} ${lineY} L ${x2 - direction * 9} ${lineY + 4.5} Z`,
      }),
    );
    return group;
  }

  if (row.type === 'note') {
    const x = lanes.get(row.lane) ?? 0;
    // Notes sit to the right of their lifeline: the browser's up to the next one, a server's up to the store's (the
    // store's own to its left, down to the last server's).
    const positions = [...lanes.values()];
    const store = lanes.get('store') ?? WIDTH;
    const room = row.lane === 'store' ? x - (positions.at(-2) ?? 0) - 24 : (row.lane === 'browser' ? (positions[1] ?? store) : store) - x - 24;
    const label = fit(row.text, room, NOTE_CHAR);
    const width = Math.min(room + 12, label.length * NOTE_CHAR + 16);
    const left = row.lane === 'store' ? x - width - 6 : x + 6;
    group.append(
      element('rect', { class: 'lab-seq-note', x: left, y: top + 3, width, height: 21, rx: 4 }),
      text(label, left + 8, top + 17.5, 'lab-seq-note-text'),
      element('circle', { class: 'lab-seq-dot', cx: x, cy: top + 13.5, r: 3.5 }),
    );
    return group;
  }

  const y = top + 18;
  const label = `${row.text} · ${formatTime(row.time)}`;
  const width = label.length * CHAR * 0.95 + 20;
  group.append(
    element('line', { class: 'lab-seq-divider', x1: 0, y1: y, x2: WIDTH, y2: y }),
    element('rect', { class: 'lab-seq-divider-box', x: (WIDTH - width) / 2, y: y - 11, width, height: 22, rx: 11 }),
    text(label, WIDTH / 2, y + 4, 'lab-seq-divider-text', 'middle'),
  );
  return group;
}

/** Cuts `value` to the characters that fit `room` pixels. */
function fit(value: string, room: number, charWidth: number): string {
  const max = Math.max(4, Math.floor(room / charWidth));
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

function text(value: string, x: number, y: number, className: string, anchor: 'start' | 'middle' = 'start'): SVGTextElement {
  const node = element('text', { x, y, class: className, 'text-anchor': anchor });
  node.textContent = value;
  return node;
}

function element<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}
