import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORTS_BUCKET, STAGING_BUCKET } from '../../../definitions/buckets';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import {
  createBuckets,
  localBucketNames,
  localS3Client,
  type S3Server,
  startS3Server,
} from '../../../local/s3';

// Its own S3 server: the job deletes by age across whole buckets, which must not
// touch what other test files put into the shared stack's buckets.
const stateDir = await mkdtemp(join(tmpdir(), 'dsar-expired-exports-'));
const server: S3Server = await startS3Server({ stateDir });
const names = localBucketNames('expiry', [EXPORTS_BUCKET, STAGING_BUCKET]);
Object.assign(process.env, {
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_S3: server.endpoint,
  S3_FORCE_PATH_STYLE: 'true',
  ...names,
});
const { deleteExpiredExports, EXPORT_RETENTION_DAYS } = await import('../../../adapters/aws/export-objects');

const DAY_MS = 24 * 60 * 60 * 1000;

describe('the expired-exports job', () => {
  let s3: S3Client;

  const put = (bucket: string, key: string) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
  const keys = async (bucket: string) =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map(
      (object) => object.Key,
    );

  beforeAll(async () => {
    s3 = localS3Client(server.endpoint);
    await createBuckets(s3, [EXPORTS_BUCKET, STAGING_BUCKET], names);
    await put(names.EXPORTS_BUCKET!, 'dsr-a/package.zip');
    await put(names.STAGING_BUCKET!, 'dsr-a/accounts.jsonl');
    await put(names.STAGING_BUCKET!, 'dsr-a/orders.jsonl');
    await put(names.STAGING_BUCKET!, 'dsr-b/accounts.jsonl');
  });

  afterAll(async () => {
    s3?.destroy();
    await server.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps packages and staging files younger than the longest link lifetime', async () => {
    const almost = new Date(Date.now() + (EXPORT_RETENTION_DAYS - 1) * DAY_MS);
    expect(await deleteExpiredExports({ now: almost })).toEqual({
      requestIds: [],
      deletedPackageObjects: 0,
      deletedStagingObjects: 0,
    });
    expect(await keys(names.EXPORTS_BUCKET!)).toEqual(['dsr-a/package.zip']);
    expect(await keys(names.STAGING_BUCKET!)).toHaveLength(3);
  });

  it('deletes packages past the longest link lifetime with their staging files, and stale staging files', async () => {
    const later = new Date(Date.now() + (EXPORT_RETENTION_DAYS + 1) * DAY_MS);
    expect(await deleteExpiredExports({ now: later })).toEqual({
      requestIds: ['dsr-a'],
      deletedPackageObjects: 1,
      deletedStagingObjects: 3,
    });
    expect(await keys(names.EXPORTS_BUCKET!)).toEqual([]);
    expect(await keys(names.STAGING_BUCKET!)).toEqual([]);
  });

  it('finds nothing to do the second time', async () => {
    const later = new Date(Date.now() + (EXPORT_RETENTION_DAYS + 1) * DAY_MS);
    expect(await deleteExpiredExports({ now: later })).toMatchObject({ deletedPackageObjects: 0 });
  });
});
