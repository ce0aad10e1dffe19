/** The KMS trail MAC against the local KMS endpoint: the same MAC as an HMAC with the key, and refusals. */
import { randomBytes } from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmsTrailMac } from '../../../adapters/aws/kms-trail-mac';
import { MemoryTrailMac } from '../../../adapters/memory/memory-trail-mac';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import type { LocalEndpoint } from '../../../local/http-server';
import { LOCAL_TRAIL_KEY_ALIAS, LOCAL_TRAIL_KEY_ARN, startKms } from '../../../local/kms';

const key = randomBytes(32);
const HASH = 'ab'.repeat(32);
let endpoint: LocalEndpoint;
let client: KMSClient;

beforeAll(async () => {
  endpoint = await startKms({ trailKey: key });
  client = new KMSClient({ endpoint: endpoint.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
});

afterAll(async () => {
  client?.destroy();
  await endpoint?.stop();
});

describe('KmsTrailMac on the local KMS endpoint', () => {
  it('makes the HMAC-SHA-256 of the hash bytes, and verifies it', async () => {
    const mac = new KmsTrailMac(client, () => LOCAL_TRAIL_KEY_ARN);
    const signed = await mac.sign(HASH);
    expect(signed).toBe(await new MemoryTrailMac(key).sign(HASH));
    expect(await mac.verify(HASH, signed)).toBe(true);
  });

  it('answers false for a MAC of another hash, another key, or no MAC at all', async () => {
    const mac = new KmsTrailMac(client, () => LOCAL_TRAIL_KEY_ALIAS);
    expect(await mac.verify('cd'.repeat(32), await mac.sign(HASH))).toBe(false);
    expect(await mac.verify(HASH, await new MemoryTrailMac().sign(HASH))).toBe(false);
    expect(await mac.verify(HASH, '')).toBe(false);
    expect(await mac.verify('not-a-hash', 'AAAA')).toBe(false);
  });

  it('fails on a key it does not hold', async () => {
    const mac = new KmsTrailMac(client, () => 'alias/other');
    await expect(mac.sign(HASH)).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});
