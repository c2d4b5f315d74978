/**
 * How the Lab writes times, durations and ids. Pure functions over numbers and strings, shared by
 * every panel so a session id or a time reads the same in the timeline, the diagram and the inspector.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// English, like the rest of the site; 24-hour times, so "09:05" never needs an "AM".
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
const SHORT_TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DAY_NAME = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });

/** `09:05:12`: a virtual timestamp in the timeline. */
export function formatTime(at: number): string {
  return TIME.format(at);
}

/** `09:05`: an expiry or creation time, where seconds would be noise. */
export function formatShortTime(at: number): string {
  return SHORT_TIME.format(at);
}

/** `Fri 27 Nov`: the day, shown when a jump crosses midnight. */
export function formatDay(at: number): string {
  return DAY_NAME.format(at);
}

/** `Fri 27 Nov, 09:05:12`. */
export function formatDateTime(at: number): string {
  return `${formatDay(at)}, ${formatTime(at)}`;
}

/**
 * A duration for people: `45 s`, `30 min`, `1 h 5 min`, `2 days 3 h`. Two units at most: the
 * second is dropped when it is zero, and seconds are dropped once there are hours.
 */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < MINUTE) return `${Math.floor(abs / SECOND)} s`;
  if (abs < HOUR) {
    const minutes = Math.floor(abs / MINUTE);
    const seconds = Math.floor((abs % MINUTE) / SECOND);
    return minutes >= 10 || seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
  }
  if (abs < DAY) {
    const hours = Math.floor(abs / HOUR);
    const minutes = Math.floor((abs % HOUR) / MINUTE);
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const unit = days === 1 ? 'day' : 'days';
  return hours === 0 ? `${days} ${unit}` : `${days} ${unit} ${hours} h`;
}

/** `in 29 min` or `3 min ago`, against the virtual clock. */
export function formatRelative(at: number, now: number): string {
  const delta = at - now;
  if (Math.abs(delta) < SECOND) return 'now';
  return delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
}

/** A jump as the clock buttons name it: `+1 min`, `+1 h`, `+1 day`. */
export function formatJump(ms: number): string {
  return `+${formatDuration(ms)}`;
}

/** Wall-clock time a server step took: `0.4 ms`, `12 ms`, `3.0 s`. */
export function formatElapsed(ms: number): string {
  if (ms < 1) return `${ms.toFixed(1)} ms`;
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  return `${(ms / SECOND).toFixed(1)} s`;
}

/**
 * The first 8 characters of a session id (a SHA-256 hash: 8 hex-like characters are plenty to tell
 * a handful apart), with an ellipsis so nobody mistakes it for the whole id.
 */
export function shortId(id: string): string {
  return id.length <= 10 ? id : `${id.slice(0, 8)}…`;
}

/** A cookie value cut to its first characters: enough to see it change, not enough to be useful. */
export function shortValue(value: string, keep = 12): string {
  return value.length <= keep + 2 ? value : `${value.slice(0, keep)}…`;
}

/** The request path without the site's base path: `/session-lab/api/login` → `/api/login`. */
export function apiPath(path: string, base: string): string {
  return base !== '/' && path.startsWith(base) ? `/${path.slice(base.length)}` : path;
}

/** The reason phrase of the statuses the demo app meets. */
export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? '';
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
