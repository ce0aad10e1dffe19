import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addressRefusal, mappedIpv4 } from '../../../domain/portability/address-policy';

/**
 * The ranges that must be refused, written out here from the RFCs rather than
 * imported, so the tests check the policy against an independent list.
 */
const BLOCKED_V4: readonly [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const BLOCKED_V6: readonly [string, number, string][] = [
  ['fe80::', 10, 'link-local'],
  ['fc00::', 7, 'unique-local'],
  ['ff00::', 8, 'multicast'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
  ['2001::', 23, 'reserved'],
  ['2002::', 16, 'reserved'],
  ['64:ff9b::', 96, 'reserved'],
  ['100::', 64, 'reserved'],
];

const v4ToInt = (address: string) => address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
const intToV4 = (value: number) => [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');

function v6ToBigInt(address: string): bigint {
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  return groups.reduce((sum, group) => (sum << 16n) + BigInt(Number.parseInt(group, 16)), 0n);
}
const bigIntToV6 = (value: bigint) =>
  Array.from({ length: 8 }, (_, index) => ((value >> BigInt(112 - index * 16)) & 0xffffn).toString(16)).join(
    ':',
  );

const inV4 = (address: number, [network, prefix]: readonly [string, number, string]) =>
  prefix === 0 || address >>> (32 - prefix) === v4ToInt(network) >>> (32 - prefix);
const inV6 = (address: bigint, [network, prefix]: readonly [string, number, string]) =>
  address >> BigInt(128 - prefix) === v6ToBigInt(network) >> BigInt(128 - prefix);

const anyV4 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const anyV6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });

function insideV4([network, prefix]: readonly [string, number, string]) {
  const base = v4ToInt(network);
  return fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((offset) => intToV4(base + offset));
}
function insideV6([network, prefix]: readonly [string, number, string]) {
  const base = v6ToBigInt(network);
  return fc
    .bigInt({ min: 0n, max: (1n << BigInt(128 - prefix)) - 1n })
    .map((offset) => bigIntToV6(base + offset));
}

describe('the addresses a portability push may reach', () => {
  it.each(BLOCKED_V4)('refuses every address in %s/%i as %s', (network, prefix, category) => {
    fc.assert(
      fc.property(insideV4([network, prefix, category]), (address) => {
        expect(addressRefusal(address)).toBe(
          address === '255.255.255.255' ? 'broadcast' : (category as string),
        );
      }),
    );
  });

  it.each(BLOCKED_V6)('refuses every address in %s/%i as %s', (network, prefix, category) => {
    fc.assert(
      fc.property(insideV6([network, prefix, category]), (address) => {
        expect(addressRefusal(address)).toBe(category);
      }),
    );
  });

  it.each(BLOCKED_V4)(
    'refuses the IPv4-mapped IPv6 form of every address in %s/%i',
    (network, prefix, category) => {
      fc.assert(
        fc.property(insideV4([network, prefix, category]), (address) => {
          expect(addressRefusal(`::ffff:${address}`)).toBeDefined();
          const value = v4ToInt(address);
          const hex = `::ffff:${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
          expect(addressRefusal(hex)).toBeDefined();
        }),
      );
    },
  );

  it('accepts every public IPv4 address, and its IPv4-mapped form', () => {
    const publicV4 = anyV4.filter((value) => !BLOCKED_V4.some((range) => inV4(value, range)));
    fc.assert(
      fc.property(publicV4, (value) => {
        expect(addressRefusal(intToV4(value))).toBeUndefined();
        expect(addressRefusal(`::ffff:${intToV4(value)}`)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('accepts every global unicast IPv6 address outside the special-purpose ranges', () => {
    const globalUnicast = anyV6
      .map((value) => (value & ((1n << 125n) - 1n)) | (1n << 125n)) // 2000::/3
      .filter((value) => !BLOCKED_V6.some((range) => inV6(value, range)));
    fc.assert(
      fc.property(globalUnicast, (value) => {
        expect(addressRefusal(bigIntToV6(value))).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('refuses every IPv6 address outside global unicast 2000::/3, IPv4-mapped ones aside', () => {
    const outside = anyV6.filter((value) => value >> 125n !== 1n).filter((value) => value >> 32n !== 0xffffn);
    fc.assert(
      fc.property(outside, (value) => {
        expect(addressRefusal(bigIntToV6(value))).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['169.254.169.254', 'link-local'],
    ['fd00:ec2::254', 'unique-local'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
  ])('refuses %s as %s', (address, category) => {
    expect(addressRefusal(address)).toBe(category);
  });

  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('accepts %s', (address) => {
    expect(addressRefusal(address)).toBeUndefined();
  });

  it.each(['localhost', 'example.com', '', '1.2.3', '[::1]'])(
    'refuses %j, which is not an address literal',
    (value) => {
      expect(addressRefusal(value)).toBe('reserved');
    },
  );

  it('finds the IPv4 address inside an IPv4-mapped IPv6 address in either spelling', () => {
    expect(mappedIpv4('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(mappedIpv4('::FFFF:0a01:0203')).toBe('10.1.2.3');
    expect(mappedIpv4('2001:db8::1')).toBeUndefined();
    expect(mappedIpv4('10.1.2.3')).toBeUndefined();
  });
});
