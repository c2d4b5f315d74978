/**
 * The device details a Session keeps, piece by piece: how the `devices` option is checked, what is
 * read from a request, how an IP address is coarsened, and the public view of a record.
 */
import { describe, expect, it } from 'vitest';
import { SessionConfigError, type SessionRecord } from 'sessionlab';
import { checkDeviceOptions, deviceOf, keptIp, lazyDeviceOf, toDeviceSession, type CheckedDevices } from '../../src/session/devices.ts';

const EVERYTHING: CheckedDevices = { userAgent: true, ip: 'coarse', lastSeenEvery: 60_000 };

describe('the devices option', () => {
  it('fills in the defaults: nothing kept, lastSeenAt at most once a minute', () => {
    expect(checkDeviceOptions({})).toEqual({ userAgent: false, ip: false, lastSeenEvery: 60_000 });
    expect(checkDeviceOptions(undefined)).toBeNull();
  });

  it('accepts every documented value', () => {
    expect(checkDeviceOptions({ userAgent: true, ip: 'full', lastSeenEvery: 1 })).toEqual({ userAgent: true, ip: 'full', lastSeenEvery: 1 });
    expect(checkDeviceOptions({ ip: 'coarse' })!.ip).toBe('coarse');
  });

  it.each([
    ['null', null],
    ['a number', 5],
    ['a string', 'coarse'],
  ])('is refused when it is %s, not an object', (_, value) => {
    expect(() => checkDeviceOptions(value as never)).toThrow(SessionConfigError);
    expect(() => checkDeviceOptions(value as never)).toThrow(/must be an object/);
  });

  it('refuses a userAgent that is not true or false', () => {
    expect(() => checkDeviceOptions({ userAgent: 'yes' as never })).toThrow(/devices\.userAgent must be true or false/);
    expect(() => checkDeviceOptions({ userAgent: 1 as never })).toThrow(SessionConfigError);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '1000'])('refuses lastSeenEvery %j: it must be a positive, finite number', (value) => {
    expect(() => checkDeviceOptions({ lastSeenEvery: value as never })).toThrow(/devices\.lastSeenEvery must be a positive number/);
  });
});

describe('the details read from a request', () => {
  it('keep the user agent without the spaces around it', () => {
    expect(deviceOf({ userAgent: '  Firefox/140.0 \n' }, EVERYTHING)).toEqual({ userAgent: 'Firefox/140.0' });
  });

  it('keep at most 512 characters of a user agent', () => {
    const long = `Mozilla/5.0 ${'x'.repeat(1000)}`;
    expect(deviceOf({ userAgent: long }, EVERYTHING).userAgent).toBe(long.slice(0, 512));
  });

  it.each([['an empty user agent', ''], ['a blank user agent', '   '], ['no user agent', null], ['a user agent that is not a string', 42]])(
    'keep no user agent for %s',
    (_, userAgent) => {
      expect(deviceOf({ userAgent: userAgent as never, ip: '203.0.113.7' }, EVERYTHING)).toEqual({ ip: '203.0.113.0' });
    },
  );

  it('keep no IP that is not a string', () => {
    expect(deviceOf({ userAgent: 'UA', ip: 7 as never }, EVERYTHING)).toEqual({ userAgent: 'UA' });
  });

  it('are read once, however often they are asked for', () => {
    let reads = 0;
    const request = {
      get userAgent() {
        reads++;
        return 'UA';
      },
    };
    const device = lazyDeviceOf(request, { ...EVERYTHING, ip: false });
    expect(reads).toBe(0);
    const first = device();
    expect(device()).toBe(first);
    expect(first).toEqual({ userAgent: 'UA' });
    expect(reads).toBe(1);
  });
});

describe('an IP address as kept', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    [' 203.0.113.77\t', '203.0.113.0'],
    ['255.255.255.255', '255.255.255.0'],
    ['0.0.0.0', '0.0.0.0'],
  ])('coarse: the IPv4 %j as its /24 %j', (given, kept) => {
    expect(keptIp(given, 'coarse')).toBe(kept);
  });

  it.each(['a203.0.113.77', '203.0.113.77a', '203.0.113.77.1', '203.0.113', '256.0.113.77', '203.0.113.256', '1234.0.113.77', ''])(
    'refuses %j, which is not four decimal octets',
    (given) => {
      expect(keptIp(given, 'coarse')).toBeNull();
      expect(keptIp(given, 'full')).toBeNull();
    },
  );

  it('full: the IPv4 or IPv6 address as given, without the spaces around it', () => {
    expect(keptIp(' 203.0.113.77 ', 'full')).toBe('203.0.113.77');
    expect(keptIp('2001:db8:abcd:12:3456::1', 'full')).toBe('2001:db8:abcd:12:3456::1');
  });

  it.each([
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['[2001:db8::0001]', '2001:db8::1'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
    ['[FE80::1%12]', 'fe80::1%12'],
  ])('full: the IPv6 %j in its canonical form %j, a zone id kept', (given, kept) => {
    expect(keptIp(given, 'full')).toBe(kept);
  });

  it.each([
    ['::ffff:198.51.100.23', '198.51.100.23'],
    ['::ffff:c633:6417', '198.51.100.23'],
    ['[::FFFF:198.51.100.23]', '198.51.100.23'],
  ])('full: %j, an IPv4 client seen through a dual-stack socket, as its IPv4 address %j', (given, kept) => {
    expect(keptIp(given, 'full')).toBe(kept);
  });

  it.each([
    'fe80::1%<svg/onload=alert(1)>',
    `fe80::1%${'a'.repeat(33)}`,
    'fe80::1%',
    'fe80::1%eth0%eth1',
    '[2001:db8::1',
    '2001:db8::1]',
  ])('refuses %j: a zone id is a short interface name or number, and brackets come in pairs', (given) => {
    expect(keptIp(given, 'coarse')).toBeNull();
    expect(keptIp(given, 'full')).toBeNull();
  });

  it.each([
    ['2001:db8:abcd:12:3456::1', '2001:db8:abcd::'],
    ['2001:db8:abcd:12:3456:7:8:9', '2001:db8:abcd::'],
    ['[2001:db8:abcd:12::1]', '2001:db8:abcd::'],
    ['fe80::1%eth0', 'fe80::'],
    ['::1', '::'],
    ['::', '::'],
  ])('coarse: the IPv6 %j as its /48 %j', (given, kept) => {
    expect(keptIp(given, 'coarse')).toBe(kept);
  });

  it.each([
    ['::ffff:198.51.100.23', '198.51.100.0'],
    ['::ffff:c633:6417', '198.51.100.0'],
    ['2002:c633:6417::1', '198.51.100.0'],
  ])('coarse: %j, which carries an IPv4 address, as that address\'s /24 %j', (given, kept) => {
    expect(keptIp(given, 'coarse')).toBe(kept);
  });

  it.each([
    // Not IPv4-mapped: a non-zero group before ffff, or no ffff.
    ['1::ffff:c633:6417', '1::'],
    ['0:0:0:0:1:ffff:c633:6417', '::'],
    ['::fffe:c633:6417', '::'],
  ])('coarse: %j, which only looks like an IPv4-mapped address, as its /48 %j', (given, kept) => {
    expect(keptIp(given, 'coarse')).toBe(kept);
  });

  it.each(['gggg::1', '2001:db8::1::2', '1:2:3:4:5:6:7:8:9', 'fe80::[1', 'fe80::]1', '[[::1]]'])('refuses %j, which is not an IPv6 address', (given) => {
    expect(keptIp(given, 'coarse')).toBeNull();
    expect(keptIp(given, 'full')).toBeNull();
  });

  it.each(['fe80::1\n1', '2001:db8::\t1', '2001:db8:\r:1', 'fe80::1%x\n1', 'fe80::1%eth0 x', '2001:db8::\u20281', 'fe80::1%eth\u00000', '203.0.113.7\u0000'])(
    'refuses %j, which has a space, a line break or a control character inside: nothing kept would show it',
    (given) => {
      expect(keptIp(given, 'coarse')).toBeNull();
      expect(keptIp(given, 'full')).toBeNull();
    },
  );
});

describe('the public view of a record', () => {
  const record: SessionRecord = {
    sessionId: 'store-key',
    userId: 'ada',
    expires: '2026-03-01T09:30:00.000Z',
    createdAt: '2026-03-01T09:00:00.000Z',
    data: { secret: 1 },
    version: 3,
    publicId: 'public-id',
  };

  it('says null for what the record does not carry as a string', () => {
    const damaged = { ...record, authenticatedAt: 5, lastSeenAt: null, device: { userAgent: 7, ip: false } } as unknown as SessionRecord;
    expect(toDeviceSession(damaged)).toEqual({
      publicId: 'public-id',
      createdAt: record.createdAt,
      authenticatedAt: null,
      lastSeenAt: null,
      expires: record.expires,
      userAgent: null,
      ip: null,
    });
  });

  it('carries the times and details the record has', () => {
    const full = { ...record, authenticatedAt: record.createdAt, lastSeenAt: record.expires, device: { userAgent: 'UA', ip: '203.0.113.0' } };
    expect(toDeviceSession(full)).toEqual({
      publicId: 'public-id',
      createdAt: record.createdAt,
      authenticatedAt: record.createdAt,
      lastSeenAt: record.expires,
      expires: record.expires,
      userAgent: 'UA',
      ip: '203.0.113.0',
    });
  });
});
