/**
 * The sequence diagram: the browser, the server and the store as lifelines, and every event as an
 * arrow between them or a note on one, drawn as SVG from the same events and words as the timeline.
 * Requests get a shaded band from the request to its response, so one exchange reads at a glance.
 */
import type { SimEvent } from '../../sim/protocol.ts';
import { describeEvent, serverName, type EventTone } from './lab-events.ts';
import { apiPath, formatElapsed, formatTime, shortId } from './lab-format.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
/** Lifeline positions as fractions of the width; the HTML lane titles above use the same ones. */
const LANES = { browser: 0.18 * WIDTH, server: 0.52 * WIDTH, store: 0.85 * WIDTH } as const;
type Lane = keyof typeof LANES;
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
}

export function renderSequence(events: readonly SimEvent[], options: SequenceOptions): SVGSVGElement {
  const rows: { row: Row; requestId: number | null; closes: boolean }[] = [];
  for (const event of events) {
    for (const row of rowsOf(event, options.base)) {
      const requestId = event.kind === 'request' || event.kind === 'response' ? event.id : event.kind === 'session' ? event.requestId : null;
      rows.push({ row, requestId, closes: event.kind === 'response' });
    }
  }

  const svg = element('svg', {
    class: 'lab-seq',
    viewBox: `0 0 ${WIDTH} 10`,
    width: '100%',
    role: 'img',
    'aria-label': `Sequence diagram of ${events.length} ${events.length === 1 ? 'event' : 'events'} between the browser, the server and its ${options.store} store. The list view shows the same events as text.`,
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
    body.append(draw(row, top));
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
  for (const x of Object.values(LANES)) {
    lifelines.append(element('line', { class: 'lab-seq-lifeline', x1: x, y1: 0, x2: x, y2: height }));
  }
  return svg;
}

function rowsOf(event: SimEvent, base: string): Row[] {
  const view = describeEvent(event, base);
  const title = view.detail ? `${view.title}. ${view.detail}` : view.title;
  switch (event.kind) {
    case 'request':
      return [
        {
          type: 'message',
          from: 'browser',
          to: 'server',
          label: `${event.method} ${apiPath(event.path, base)}`,
          sub: [event.server === undefined ? '' : `to ${serverName(event.server).toLowerCase()}`, event.cookies.length > 0 ? `Cookie: ${event.cookies.join(', ')}` : 'no cookie']
            .filter(Boolean)
            .join(' · '),
          subAccent: event.cookies.length > 0,
          dashed: false,
          tone: 'neutral',
          time: event.at,
          title,
        },
      ];
    case 'response':
      return [
        {
          type: 'message',
          from: 'server',
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
          { type: 'message', from: 'server', to: 'store', label: `${step.method}(${key})`, sub: '', subAccent: false, dashed: false, tone: 'neutral', time: event.requestId === null ? event.at : null, title },
          { type: 'message', from: 'store', to: 'server', label: `${result} · ${formatElapsed(step.durationMs)}`, sub: '', subAccent: false, dashed: true, tone: view.tone, time: null, title },
        ];
      }
      return [{ type: 'note', lane: 'server', text: view.title, tone: view.tone, time: null, title }];
    }
    case 'server':
      return [{ type: 'note', lane: 'server', text: event.server === undefined ? view.title : `${serverName(event.server)}: ${view.title}`, tone: view.tone, time: event.at, title }];
    case 'balancer':
      return [{ type: 'divider', text: view.title, tone: 'neutral', time: event.at, title }];
    case 'clock':
      return [{ type: 'divider', text: view.title, tone: 'neutral', time: event.at, title }];
    case 'jar':
      return [{ type: 'note', lane: 'browser', text: view.title, tone: view.tone, time: null, title }];
  }
}

function heightOf(row: Row): number {
  if (row.type === 'message') return row.sub ? 42 : row.dashed ? 24 : 28;
  if (row.type === 'divider') return 34;
  return 28;
}

function draw(row: Row, top: number): SVGGElement {
  const group = element('g', { class: `lab-seq-row lab-seq-is-${row.type}`, 'data-tone': row.tone });
  const tooltip = element('title');
  tooltip.textContent = row.title;
  group.append(tooltip);
  if (row.time !== null && row.type !== 'divider') group.append(text(formatTime(row.time), 4, top + 13, 'lab-seq-time'));

  if (row.type === 'message') {
    const x1 = LANES[row.from];
    const x2 = LANES[row.to];
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
    const x = LANES[row.lane];
    // Notes sit to the right of their lifeline, up to the next one (the store's, to its left).
    const room = row.lane === 'store' ? x - LANES.server - 24 : (row.lane === 'browser' ? LANES.server : LANES.store) - x - 24;
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
