/**
 * Device details: what a session record may say about the browser that holds it, when the
 * application asks for it (`devices` option), and the public view of a session that an account's
 * "Your devices" page lists. Nothing here is kept unless asked for, and IP addresses are truncated
 * unless the application asks for them whole (GDPR recital 30: an IP address is personal data;
 * keep the least that serves the purpose).
 */
import { toBase64Url } from './encoding.ts';
import { SessionConfigError } from './errors.ts';
import type { RandomSource } from './session-token.ts';
import type { DeviceDetails, SessionRecord } from './types.ts';

/** Which device details sessions keep. Each is off unless set. */
export interface DeviceOptions {
  /** Keep the request's `User-Agent` (at most 512 characters). Default `false`. */
  userAgent?: boolean;
  /**
   * Keep the client's IP address: `'coarse'` keeps its network only (IPv4 /24, IPv6 /48), `'full'`
   * keeps it as given. Default `false`.
   */
  ip?: 'coarse' | 'full' | false;
  /** Write `lastSeenAt` at most this often (ms), riding on writes that happen anyway. Default 60 000. */
  lastSeenEvery?: number;
}

/** One session as its user may see it: never its store key, token or data. */
export interface DeviceSession {
  /** The session's public id: names it for `revokeDevice()`. */
  publicId: string;
  createdAt: string;
  /** The last real sign-in (login or re-authentication), or null when the record predates it. */
  authenticatedAt: string | null;
  /** When the session was last used, to within `lastSeenEvery`; null unless the `devices` option is on. */
  lastSeenAt: string | null;
  expires: string;
  userAgent: string | null;
  ip: string | null;
}

/** The `devices` option after checking. */
export interface CheckedDevices {
  userAgent: boolean;
  ip: 'coarse' | 'full' | false;
  lastSeenEvery: number;
}

const FIELDS = new Set(['userAgent', 'ip', 'lastSeenEvery']);
const MAX_USER_AGENT = 512;
const PUBLIC_ID_BYTES = 16; // 128 bits

/** Checks the `devices` option; null when it is absent (no device details, no lastSeenAt). */
export function checkDeviceOptions(options: DeviceOptions | undefined): CheckedDevices | null {
  if (options === undefined) return null;
  const hint = "For example devices: { userAgent: true, ip: 'coarse' }.";
  if (typeof options !== 'object' || options === null) throw new SessionConfigError('The devices option must be an object.', hint);
  for (const key of Object.keys(options)) {
    if (!FIELDS.has(key)) throw new SessionConfigError(`Unknown devices option "${key}".`, `Known: ${[...FIELDS].join(', ')}. ${hint}`);
  }
  const { userAgent = false, ip = false, lastSeenEvery = 60_000 } = options;
  if (typeof userAgent !== 'boolean') throw new SessionConfigError(`devices.userAgent must be true or false, got ${JSON.stringify(userAgent)}.`, hint);
  if (ip !== false && ip !== 'coarse' && ip !== 'full') {
    throw new SessionConfigError(`devices.ip must be 'coarse', 'full' or false, got ${JSON.stringify(ip)}.`, "'coarse' keeps the network only (IPv4 /24, IPv6 /48).");
  }
  if (typeof lastSeenEvery !== 'number' || !Number.isFinite(lastSeenEvery) || lastSeenEvery <= 0) {
    throw new SessionConfigError(`devices.lastSeenEvery must be a positive number of milliseconds, got ${JSON.stringify(lastSeenEvery)}.`, 'For example lastSeenEvery: 60000.');
  }
  return { userAgent, ip, lastSeenEvery };
}

/**
 * The details of a request the options ask to keep, read on first call and remembered: a request
 * that writes no session (most of them) never reads them.
 */
export function lazyDeviceOf(request: { userAgent?: string | null; ip?: string | null }, options: CheckedDevices): () => DeviceDetails {
  let device: DeviceDetails | undefined;
  return () => (device ??= deviceOf(request, options));
}

/** The details of a request the options ask to keep; empty when it carries none of them. */
export function deviceOf(request: { userAgent?: string | null; ip?: string | null }, options: CheckedDevices): DeviceDetails {
  const device: DeviceDetails = {};
  // Each is read once, and only when kept: an adapter may compute them lazily (req.ip walks X-Forwarded-For).
  if (options.userAgent) {
    const given = request.userAgent;
    const userAgent = typeof given === 'string' ? given.trim().slice(0, MAX_USER_AGENT) : '';
    if (userAgent) device.userAgent = userAgent;
  }
  if (options.ip) {
    const given = request.ip;
    const ip = typeof given === 'string' ? keptIp(given, options.ip) : null;
    if (ip) device.ip = ip;
  }
  return device;
}

/**
 * The IP as kept: its network under `'coarse'` (IPv4 /24, IPv6 /48, an IPv4-mapped or 6to4 IPv6
 * address as the IPv4 /24 it carries), or as given under `'full'`. Null for anything that is not an
 * IP address. An IPv6 address is read by the WHATWG URL host parser, which every runtime ships,
 * rather than by hand; an IPv4 address must be four decimal octets (what servers and proxies report).
 */
export function keptIp(given: string, mode: 'coarse' | 'full'): string | null {
  const text = given.trim();
  // No address holds a space, a line break or a control character (nor does an interface name in a
  // zone id); the URL parser would drop tabs and line breaks, and `'full'` would keep them.
  if (/[\s\p{Cc}]/u.test(text)) return null;
  if (text.includes(':')) {
    const ipv6 = readIpv6(text);
    if (!ipv6) return null;
    const { groups } = ipv6;
    // ::ffff:a.b.c.d is an IPv4 client seen through a dual-stack socket (Node reports it so).
    if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
      return `${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${mode === 'full' ? groups[7]! & 0xff : 0}`;
    }
    if (mode === 'full') return ipv6.address;
    // 2002:wwxx:yyzz::/48 is the 6to4 network of the IPv4 address w.x.y.z (RFC 3056): its /48 would
    // keep that address whole, so keep its /24, as for the IPv4 address itself.
    if (groups[0] === 0x2002) return `${groups[1]! >> 8}.${groups[1]! & 0xff}.${groups[2]! >> 8}.0`;
    return new URL(`http://[${groups.slice(0, 3).map((group) => group.toString(16)).join(':')}::]/`).hostname.slice(1, -1);
  }
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(text) || text.split('.').some((octet) => Number(octet) > 255)) return null;
  return mode === 'full' ? text : `${text.slice(0, text.lastIndexOf('.'))}.0`;
}

/** What an interface name or number in a zone id (`%eth0`, `%12`) is made of (RFC 6874's unreserved characters), at most 32 of them. */
const ZONE_ID = /^[\w.~-]{1,32}$/;

/**
 * An IPv6 address, with or without brackets and a zone id: its eight 16-bit groups, and the address
 * in canonical form (lower case, no leading zeros, the zone id kept); null for anything else.
 */
function readIpv6(text: string): { groups: number[]; address: string } | null {
  const bracketed = text.startsWith('[');
  if (bracketed !== text.endsWith(']')) return null;
  const inner = bracketed ? text.slice(1, -1) : text;
  const zoneAt = inner.indexOf('%');
  const zone = zoneAt === -1 ? null : inner.slice(zoneAt + 1);
  if (zone !== null && !ZONE_ID.test(zone)) return null;
  const host = hostOf(`[${zoneAt === -1 ? inner : inner.slice(0, zoneAt)}]`);
  if (!host) return null;
  // The URL parser answers in canonical form: lower case, no leading zeros, at most one "::".
  const [head = '', tail] = host.slice(1, -1).split('::');
  const part = (side: string): number[] => (side ? side.split(':').map((group) => Number.parseInt(group, 16)) : []);
  const before = part(head);
  const after = tail === undefined ? [] : part(tail);
  const groups = [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
  return { groups, address: zone === null ? host.slice(1, -1) : `${host.slice(1, -1)}%${zone}` };
}

function hostOf(host: string): string | null {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
}

/** A new public id: 128 random bits in base64url, unrelated to the token and the store key. */
export function generatePublicId(random: RandomSource): string {
  return toBase64Url(random(new Uint8Array(PUBLIC_ID_BYTES)));
}

/** The public view of a record (its public id must be set). */
export function toDeviceSession(record: SessionRecord): DeviceSession {
  return {
    publicId: record.publicId!,
    createdAt: record.createdAt,
    authenticatedAt: typeof record.authenticatedAt === 'string' ? record.authenticatedAt : null,
    lastSeenAt: typeof record.lastSeenAt === 'string' ? record.lastSeenAt : null,
    expires: record.expires,
    userAgent: typeof record.device?.userAgent === 'string' ? record.device.userAgent : null,
    ip: typeof record.device?.ip === 'string' ? record.device.ip : null,
  };
}
