/**
 * Which network addresses a portability push may connect to: only globally
 * routable unicast ones. The pipeline runs next to things a requester must
 * never reach through it (the instance metadata service at 169.254.169.254,
 * VPC-internal services, the loopback interface), and the requester chooses
 * the endpoint, so every address a host name resolves to is checked against
 * these ranges before any connection is made (server-side request forgery).
 *
 * Pure: `net.BlockList` is node's own CIDR matcher (no I/O, no dependency);
 * the ranges are those of the IANA special-purpose registries (RFC 6890 and
 * its updates) that are not globally reachable, grouped by why they are refused.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export const ADDRESS_CATEGORIES = [
  'unspecified',
  'loopback',
  'private',
  'shared',
  'link-local',
  'unique-local',
  'multicast',
  'broadcast',
  'documentation',
  'reserved',
] as const;
/** Why an address is refused: the kind of network it belongs to. */
export type AddressCategory = (typeof ADDRESS_CATEGORIES)[number];

/** A refused range: `address/prefix` and the category it is refused as. */
export interface BlockedRange {
  readonly cidr: string;
  readonly category: AddressCategory;
}

/**
 * Ordered: the first matching range names the category, so a specific range
 * (255.255.255.255 broadcast) comes before the larger one holding it (240/4).
 */
export const BLOCKED_RANGES: readonly BlockedRange[] = [
  { cidr: '0.0.0.0/8', category: 'unspecified' }, // "this network" (RFC 791); 0.0.0.0 reaches the local host
  { cidr: '::/128', category: 'unspecified' },
  { cidr: '127.0.0.0/8', category: 'loopback' },
  { cidr: '::1/128', category: 'loopback' },
  { cidr: '10.0.0.0/8', category: 'private' }, // RFC 1918
  { cidr: '172.16.0.0/12', category: 'private' },
  { cidr: '192.168.0.0/16', category: 'private' },
  { cidr: '100.64.0.0/10', category: 'shared' }, // carrier-grade NAT (RFC 6598)
  { cidr: '169.254.0.0/16', category: 'link-local' }, // includes the metadata service 169.254.169.254
  { cidr: 'fe80::/10', category: 'link-local' },
  { cidr: 'fc00::/7', category: 'unique-local' }, // RFC 4193; fd00:ec2::254 is the IPv6 metadata service
  { cidr: '224.0.0.0/4', category: 'multicast' },
  { cidr: 'ff00::/8', category: 'multicast' },
  { cidr: '255.255.255.255/32', category: 'broadcast' },
  { cidr: '192.0.2.0/24', category: 'documentation' }, // TEST-NET-1..3 (RFC 5737)
  { cidr: '198.51.100.0/24', category: 'documentation' },
  { cidr: '203.0.113.0/24', category: 'documentation' },
  { cidr: '2001:db8::/32', category: 'documentation' }, // RFC 3849
  { cidr: '3fff::/20', category: 'documentation' }, // RFC 9637
  { cidr: '192.0.0.0/24', category: 'reserved' }, // IETF protocol assignments (RFC 6890)
  { cidr: '192.88.99.0/24', category: 'reserved' }, // 6to4 relay anycast (RFC 7526)
  { cidr: '198.18.0.0/15', category: 'reserved' }, // benchmarking (RFC 2544)
  { cidr: '240.0.0.0/4', category: 'reserved' }, // future use (RFC 1112)
  // IPv6 outside global unicast 2000::/3: IPv4-compatible, NAT64 (64:ff9b::/96,
  // which would reach any IPv4 address through a translator), discard-only
  // 100::/64, site-local fec0::/10 and the rest not yet allocated. IPv4-mapped
  // addresses (::ffff:0:0/96) are unwrapped and judged as IPv4 before this.
  { cidr: '::/3', category: 'reserved' },
  { cidr: '4000::/2', category: 'reserved' },
  { cidr: '8000::/1', category: 'reserved' },
  { cidr: '2001::/23', category: 'reserved' }, // IETF protocol assignments, Teredo 2001::/32 among them
  { cidr: '2002::/16', category: 'reserved' }, // 6to4: embeds an IPv4 address a relay would reach
];

type Family = 'ipv4' | 'ipv6';

/**
 * One BlockList per range, checked only against addresses of its own family:
 * a BlockList matches an IPv4 address against IPv6 rules through its mapped
 * form, so `::/3` would otherwise swallow every IPv4 address.
 */
const BLOCK_LISTS: readonly {
  readonly category: AddressCategory;
  readonly family: Family;
  readonly list: BlockList;
}[] = BLOCKED_RANGES.map(({ cidr, category }) => {
  const [network, prefix] = cidr.split('/') as [string, string];
  const family = isIPv4(network) ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  list.addSubnet(network, Number(prefix), family);
  return { category, family, list };
});

const MAPPED_IPV4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, in
 * any spelling), or undefined. The WHATWG URL parser gives the canonical form.
 */
export function mappedIpv4(address: string): string | undefined {
  if (!isIPv6(address)) return undefined;
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const match = MAPPED_IPV4.exec(canonical);
  if (!match) return undefined;
  const high = Number.parseInt(match[1]!, 16);
  const low = Number.parseInt(match[2]!, 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * Why a push may not connect to `address` (an IPv4 or IPv6 literal), or
 * undefined if it is a globally routable unicast address. Anything that is not
 * an address literal is refused as `reserved`: the caller resolves names first.
 */
export function addressRefusal(address: string): AddressCategory | undefined {
  const unwrapped = mappedIpv4(address) ?? address;
  const family: Family | undefined = isIPv4(unwrapped) ? 'ipv4' : isIPv6(unwrapped) ? 'ipv6' : undefined;
  if (family === undefined) return 'reserved';
  return BLOCK_LISTS.find((entry) => entry.family === family && entry.list.check(unwrapped, family))
    ?.category;
}
