import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ANCHORS_BUCKET, EVIDENCE_BUCKET, PIPELINE_BUCKETS } from '../../../definitions/buckets';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import {
  createBuckets,
  localBucketNames,
  localS3Client,
  type S3Server,
  startS3Server,
} from '../../../local/s3';
import { exited, firstJsonLine, isRunning, runTypeScript, waitUntilGone } from './processes';

const names = localBucketNames();
const bucket = names.EXPORTS_BUCKET!;

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

describe('the local S3 server', () => {
  let stateDir: string;
  let server: S3Server;
  let client: S3Client;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-s3-'));
    server = await startS3Server({ stateDir });
    client = localS3Client(server.endpoint);
    await createBuckets(client, PIPELINE_BUCKETS, names);
  });

  afterAll(async () => {
    client?.destroy();
    await server?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('creates every pipeline bucket under its lower-case local name', () => {
    expect(names).toEqual({
      INBOUND_BUCKET: 'dsar-inboundmail',
      EVIDENCE_BUCKET: 'dsar-evidence',
      STAGING_BUCKET: 'dsar-staging',
      EXPORTS_BUCKET: 'dsar-exports',
      AUDIT_ANCHORS_BUCKET: 'dsar-auditanchors',
    });
  });

  it('leaves existing buckets alone and reports that s3rver cannot version the evidence and anchors buckets', async () => {
    const result = await createBuckets(client, PIPELINE_BUCKETS, names);
    expect(result.created).toEqual([]);
    expect(result.existing).toEqual(Object.values(names));
    expect(result.versioningUnsupported).toEqual([
      names[EVIDENCE_BUCKET.envVar],
      names[AUDIT_ANCHORS_BUCKET.envVar],
    ]);
    const { Status } = await client.send(new GetBucketVersioningCommand({ Bucket: names.EVIDENCE_BUCKET }));
    expect(Status).toBeUndefined();
  });

  it('stores and returns an object with its content type', async () => {
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'req-1/note.txt',
        Body: '你好, world',
        ContentType: 'text/plain',
      }),
    );
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'req-1/note.txt' }));
    expect(await object.Body?.transformToString()).toBe('你好, world');
    expect(object.ContentType).toBe('text/plain');
  });

  it('stores a streamed upload without the SDK checksum framing (aws-chunked)', async () => {
    const body = randomBytes(200_000);
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'req-1/streamed.bin',
        Body: Readable.from([body.subarray(0, 70_000), body.subarray(70_000)]),
        ContentLength: body.length,
      }),
    );
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'req-1/streamed.bin' }));
    expect(head.ContentLength).toBe(body.length);
    expect(head.ContentEncoding).toBeUndefined();
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'req-1/streamed.bin' }));
    expect(sha256(Buffer.from(await object.Body!.transformToByteArray()))).toBe(sha256(body));
  });

  it('lists more than 1000 keys page by page with continuation tokens', async () => {
    const keys = Array.from({ length: 1205 }, (_, index) => `listing/${String(index).padStart(5, '0')}.json`);
    for (let start = 0; start < keys.length; start += 50) {
      await Promise.all(
        keys
          .slice(start, start + 50)
          .map((key) => client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{}' }))),
      );
    }
    const listed: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: 'listing/' })) {
      pages += 1;
      listed.push(...(page.Contents ?? []).map((object) => object.Key!));
    }
    expect(pages).toBe(2);
    expect(listed).toEqual(keys);
  });

  it('assembles a multipart upload of several megabytes', async () => {
    const body = randomBytes(12 * 1024 * 1024);
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: 'req-1/export.zip', Body: body, ContentType: 'application/zip' },
      partSize: 5 * 1024 * 1024,
    });
    await upload.done();
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'req-1/export.zip' }));
    const received = Buffer.from(await object.Body!.transformToByteArray());
    expect(received.length).toBe(body.length);
    expect(sha256(received)).toBe(sha256(body));
  });

  describe('presigned links', () => {
    const key = 'req-2/package.zip';

    beforeAll(async () => {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'zip bytes' }));
    });

    const presign = (objectKey = key, options: { expiresIn?: number; signingDate?: Date } = {}) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: objectKey }), {
        expiresIn: 300,
        ...options,
      });

    it('serves the object through a valid link', async () => {
      const response = await fetch(await presign());
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('zip bytes');
    });

    it('refuses a link with a changed signature with SignatureDoesNotMatch', async () => {
      const url = await presign();
      const tampered = url.replace(/(X-Amz-Signature=[0-9a-f]{10})([0-9a-f])/, (_, head: string, c: string) =>
        head.concat(c === '0' ? '1' : '0'),
      );
      const response = await fetch(tampered);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    });

    it('refuses a link whose key was changed to another object', async () => {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: 'req-3/package.zip', Body: 'someone else' }),
      );
      const response = await fetch((await presign()).replace('req-2', 'req-3'));
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    });

    it('refuses an expired link with AccessDenied', async () => {
      const url = await presign(key, { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
      const response = await fetch(url);
      expect(response.status).toBe(403);
      const body = await response.text();
      expect(body).toContain('<Code>AccessDenied</Code>');
      expect(body).toContain('Request has expired');
    });

    it('accepts an upload through a presigned PUT link', async () => {
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({ Bucket: names.EVIDENCE_BUCKET, Key: 'req-2/id.pdf' }),
        { expiresIn: 300 },
      );
      const response = await fetch(url, { method: 'PUT', body: '%PDF-1.7' });
      expect(response.status).toBe(200);
      const object = await client.send(
        new GetObjectCommand({ Bucket: names.EVIDENCE_BUCKET, Key: 'req-2/id.pdf' }),
      );
      expect(await object.Body?.transformToString()).toBe('%PDF-1.7');
    });
  });

  it('serves a client configured only through the environment, as the handlers are', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: server.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    const handlerClient = new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' });
    try {
      await handlerClient.send(new PutObjectCommand({ Bucket: bucket, Key: 'env/one.txt', Body: 'via env' }));
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'env/one.txt' }));
      expect(await object.Body?.transformToString()).toBe('via env');
    } finally {
      handlerClient.destroy();
      process.env = saved;
    }
  });

  it('keeps buckets and objects across a restart with the same state directory', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'persist/kept.txt', Body: 'still here' }));
    client.destroy();
    await server.stop();

    server = await startS3Server({ stateDir });
    client = localS3Client(server.endpoint);
    const result = await createBuckets(client, PIPELINE_BUCKETS, names);
    expect(result.created).toEqual([]);
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'persist/kept.txt' }));
    expect(await object.Body?.transformToString()).toBe('still here');
  });
});

describe('the S3 server process lifetime', () => {
  const owner = fileURLToPath(new URL('./fixtures/s3-owner.ts', import.meta.url));

  it.each(['SIGTERM', 'SIGKILL'] as const)(
    'ends when the Node process that started it receives %s',
    async (signal) => {
      const stateDir = await mkdtemp(join(tmpdir(), 'dsar-s3-owner-'));
      try {
        const child = runTypeScript(owner, [stateDir]);
        const { pid } = await firstJsonLine<{ pid: number }>(child);
        expect(isRunning(pid)).toBe(true);
        child.kill(signal);
        await exited(child);
        expect(await waitUntilGone(pid)).toBe(true);
      } finally {
        await rm(stateDir, { recursive: true, force: true });
      }
    },
  );
});
