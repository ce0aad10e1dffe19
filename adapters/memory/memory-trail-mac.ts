/**
 * The trail MAC (app/ports.ts TrailMac) with an HMAC-SHA-256 key held in memory, for unit tests. The
 * MAC is over the hash's 32 bytes, as KMS GenerateMac is given them (adapters/aws/kms-trail-mac.ts).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TrailMac } from '../../app/ports';

export class MemoryTrailMac implements TrailMac {
  constructor(private readonly key: Buffer = randomBytes(32)) {}

  async sign(hash: string): Promise<string> {
    return createHmac('sha256', this.key).update(Buffer.from(hash, 'hex')).digest('base64');
  }

  async verify(hash: string, mac: string): Promise<boolean> {
    const expected = Buffer.from(await this.sign(hash), 'base64');
    const given = Buffer.from(mac, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
