import { describe, expect, it } from 'vitest';
import { addressKey, minutesUntil } from './throttle.ts';

describe('addressKey', () => {
  it('keeps an IPv4 address, also when written IPv4-mapped', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('counts an IPv6 address by its /64 network, however it is written', () => {
    expect(addressKey('2001:db8:85a3:1:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:85a3:1::/64');
    expect(addressKey('2001:DB8:85A3:0001::1')).toBe('2001:db8:85a3:1::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('names a missing address', () => {
    expect(addressKey(undefined)).toBe('unknown');
  });
});

describe('minutesUntil', () => {
  it('rounds up to whole minutes, at least one', () => {
    expect(minutesUntil(new Date(1_000 + 15 * 60_000), 1_000)).toBe(15);
    expect(minutesUntil(new Date(1_000 + 61_000), 1_000)).toBe(2);
    expect(minutesUntil(new Date(0), 1_000)).toBe(1);
  });
});
