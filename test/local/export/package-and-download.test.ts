import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ExportedRecord } from '../../../connectors/contract';
import { verifyChain } from '../../../domain/audit';
import type { Manifest } from '../../../domain/export/manifest';
import { localS3Client } from '../../../local/s3';
import { parseCsv } from '../../unit/export/rfc4180';
import { configureAsStackFunction, stage, submitRequest, unzipFile, unzipList, unzipTest } from './support';

const stack = inject('stack');
const buckets = configureAsStackFunction(stack);
// Imported after the environment is set: the SDK clients read it when the modules load.
const { buildExportPackage, StagingCountMismatch, StagingObjectMissing } = await import(
  '../../../adapters/aws/export-package'
);
const { issueDownloadLink, listDownloadLinks, revokeDownloadLink } = await import(
  '../../../adapters/aws/download-links'
);
const { listAuditEvents } = await import('../../../adapters/aws/request-store');

const STAGING = buckets.STAGING_BUCKET!;
const EXPORTS = buckets.EXPORTS_BUCKET!;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const accounts = (requestId: string): ExportedRecord[] => [
  {
    storeId: 'accounts',
    category: 'account',
    recordKey: `accounts#${requestId}#profile`,
    data: {
      name: '李雷',
      email: 'li.lei@example.com',
      address: { city: '上海', line: '浦东新区, "世纪大道" 100号\n3楼' },
      tags: ['vip', 'early'],
    },
  },
  {
    storeId: 'accounts',
    category: 'account',
    recordKey: `accounts#${requestId}#settings`,
    data: { newsletter: false, signature: '=HYPERLINK("http://evil.example")', score: -3 },
  },
];

const orders = (requestId: string): ExportedRecord[] =>
  [1, 2, 3].map((n) => ({
    storeId: 'orders',
    category: 'orders',
    recordKey: `orders#${requestId}#${n}`,
    data: {
      orderId: `o-${n}`,
      total: n * 10.5,
      items: [{ sku: `sku-${n}`, qty: n }],
      placedAt: '2025-09-01',
    },
  }));

const stores = (requestId: string) => [
  {
    storeId: 'accounts',
    description: '账户信息 Account profile',
    categories: [
      { id: 'account', description: 'Name, email and address', erasure: { mode: 'delete' as const } },
    ],
    stagingKey: `${requestId}/accounts.jsonl`,
    recordCount: 2,
  },
  {
    storeId: 'orders',
    description: '订单 Orders',
    categories: [
      {
        id: 'orders',
        description: 'Orders and payments',
        erasure: {
          mode: 'retain' as const,
          basis: 'PRC E-Commerce Law art. 31',
          retainFor: { length: 3, unit: 'years' as const },
        },
      },
    ],
    stagingKey: `${requestId}/orders.jsonl`,
    recordCount: 3,
  },
];

function packageInput(requestId: string, now = new Date()) {
  return {
    requestId,
    request: {
      type: 'copy' as const,
      policyId: 'caftrade',
      policyName: 'CAF Trade privacy policy',
      locale: 'zh-CN' as const,
      receivedAt: '2025-09-26T02:00:00.000Z',
      verifiedOn: '2025-09-26',
      dueDate: '2025-10-27',
    },
    organisation: 'Demo Shop',
    stores: stores(requestId),
    retention: {
      legalHolds: [
        {
          category: 'transaction-records',
          description: 'Transaction records',
          basis: 'PRC E-Commerce Law art. 31',
          retainFor: { length: 3, unit: 'years' as const },
          from: 'the completion of the transaction',
        },
      ],
      backupCaveat: 'Backups are overwritten within 30 days.',
    },
    now,
  };
}

async function stageBoth(s3: S3Client, requestId: string) {
  await stage(s3, STAGING, `${requestId}/accounts.jsonl`, accounts(requestId));
  await stage(s3, STAGING, `${requestId}/orders.jsonl`, orders(requestId));
}

describe('the export package', () => {
  let s3: S3Client;
  let workDir: string;

  beforeAll(async () => {
    s3 = localS3Client(stack.s3);
    workDir = await mkdtemp(join(tmpdir(), 'dsar-export-'));
  });

  afterAll(async () => {
    s3?.destroy();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  async function downloadPackage(key: string): Promise<{ file: string; bytes: Buffer }> {
    const object = await s3.send(new GetObjectCommand({ Bucket: EXPORTS, Key: key }));
    const bytes = Buffer.from(await object.Body!.transformToByteArray());
    const file = join(workDir, `${randomBytes(6).toString('hex')}.zip`);
    await writeFile(file, bytes);
    return { file, bytes };
  }

  it('zips two stores as JSON and CSV with an index and a manifest that a real unzip accepts', async () => {
    const requestId = `dsr-pkg-${randomBytes(4).toString('hex')}`;
    await stageBoth(s3, requestId);

    const result = await buildExportPackage(packageInput(requestId));

    expect(result.packageKey).toBe(`${requestId}/package.zip`);
    expect(result.totalRecords).toBe(5);
    const { file, bytes } = await downloadPackage(result.packageKey);
    expect(sha256(bytes)).toBe(result.packageSha256);
    expect(bytes.length).toBe(result.packageBytes);
    expect(await unzipTest(file)).toContain('No errors detected');
    expect(await unzipList(file)).toEqual([
      'accounts.json',
      'accounts.csv',
      'orders.json',
      'orders.csv',
      'index.html',
      'manifest.json',
    ]);
    expect(result.files.map((f) => f.name)).toEqual(await unzipList(file));

    const manifestBytes = await unzipFile(file, 'manifest.json');
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
    expect(manifest).toMatchObject({
      request: { requestId, type: 'copy', policyId: 'caftrade', dueDate: '2025-10-27' },
      totalRecords: 5,
      stores: [
        { storeId: 'accounts', recordCount: 2 },
        { storeId: 'orders', recordCount: 3 },
      ],
    });
    expect(manifest.files.map((f) => f.name)).toEqual(result.files.slice(0, -1).map((f) => f.name));
    for (const entry of manifest.files) {
      const content = await unzipFile(file, entry.name);
      expect(sha256(content), entry.name).toBe(entry.sha256);
      expect(content.length, entry.name).toBe(entry.bytes);
    }
    expect(result.files.at(-1)).toEqual({
      name: 'manifest.json',
      sha256: sha256(manifestBytes),
      bytes: manifestBytes.length,
    });

    expect(JSON.parse((await unzipFile(file, 'accounts.json')).toString('utf8'))).toEqual(
      accounts(requestId),
    );
    expect(JSON.parse((await unzipFile(file, 'orders.json')).toString('utf8'))).toEqual(orders(requestId));
  });

  it('writes CSV that opens in Excel: byte-order mark, one row per record, Chinese intact', async () => {
    const requestId = `dsr-csv-${randomBytes(4).toString('hex')}`;
    await stageBoth(s3, requestId);
    const { packageKey } = await buildExportPackage(packageInput(requestId));
    const { file } = await downloadPackage(packageKey);

    const csv = await unzipFile(file, 'accounts.csv');
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(csv.toString('utf8').slice(1));
    expect(header).toEqual([
      'category',
      'recordKey',
      'data.name',
      'data.email',
      'data.address.city',
      'data.address.line',
      'data.tags',
      'data.newsletter',
      'data.signature',
      'data.score',
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('李雷');
    expect(rows[0]).toContain('浦东新区, "世纪大道" 100号\n3楼');
    expect(rows[1]).toContain(`'=HYPERLINK("http://evil.example")`);
    for (const row of rows) expect(row).toHaveLength(header!.length);
  });

  it('rewrites the same package key when built again, so a retried task is harmless', async () => {
    const requestId = `dsr-again-${randomBytes(4).toString('hex')}`;
    await stageBoth(s3, requestId);
    const first = await buildExportPackage(packageInput(requestId, new Date('2025-10-01T00:00:00Z')));
    const second = await buildExportPackage(packageInput(requestId, new Date('2025-10-01T00:00:00Z')));
    expect(second.packageKey).toBe(first.packageKey);
    expect(second.packageSha256).toBe(first.packageSha256);
  });

  it('uploads a package larger than one part in parts and it still unzips whole', async () => {
    const requestId = `dsr-big-${randomBytes(4).toString('hex')}`;
    // Random text barely compresses, so about 9 MiB of it makes a zip of more than one 5 MiB part.
    const records: ExportedRecord[] = Array.from({ length: 300 }, (_, n) => ({
      storeId: 'files',
      category: 'files',
      recordKey: `files#${n}`,
      data: { blob: randomBytes(22 * 1024).toString('base64') },
    }));
    await stage(s3, STAGING, `${requestId}/files.jsonl`, records);
    const input = packageInput(requestId);
    const result = await buildExportPackage({
      ...input,
      stores: [
        {
          storeId: 'files',
          description: 'Files',
          categories: [{ id: 'files', description: 'Uploaded files', erasure: { mode: 'delete' } }],
          stagingKey: `${requestId}/files.jsonl`,
          recordCount: records.length,
        },
      ],
    });
    expect(result.packageBytes).toBeGreaterThan(5 * 1024 * 1024);
    const head = await s3.send(new HeadObjectCommand({ Bucket: EXPORTS, Key: result.packageKey }));
    expect(head.ContentLength).toBe(result.packageBytes);
    const { file, bytes } = await downloadPackage(result.packageKey);
    expect(sha256(bytes)).toBe(result.packageSha256);
    expect(await unzipTest(file)).toContain('No errors detected');
    const json = JSON.parse((await unzipFile(file, 'files.json')).toString('utf8')) as ExportedRecord[];
    expect(json).toHaveLength(records.length);
    expect(json.at(-1)).toEqual(records.at(-1));
  });

  it('fails with StagingCountMismatch when the staging object holds other than the reported records', async () => {
    const requestId = `dsr-count-${randomBytes(4).toString('hex')}`;
    await stageBoth(s3, requestId);
    const input = packageInput(requestId);
    const [first, second] = input.stores;
    await expect(
      buildExportPackage({ ...input, stores: [first!, { ...second!, recordCount: 4 }] }),
    ).rejects.toBeInstanceOf(StagingCountMismatch);
  });

  it('fails with StagingObjectMissing when a store task wrote nothing', async () => {
    const requestId = `dsr-missing-${randomBytes(4).toString('hex')}`;
    await expect(buildExportPackage(packageInput(requestId))).rejects.toBeInstanceOf(StagingObjectMissing);
  });
});

describe('the download link', () => {
  let s3: S3Client;
  let requestId: string;
  let packageKey: string;
  let packageSha256: string;

  beforeAll(async () => {
    s3 = localS3Client(stack.s3);
    requestId = await submitRequest(stack.api);
    await stageBoth(s3, requestId);
    ({ packageKey, packageSha256 } = await buildExportPackage(packageInput(requestId)));
  });

  afterAll(() => s3?.destroy());

  const get = (url: string) => fetch(url, { redirect: 'manual' });

  it('redirects to a short-lived presigned URL that delivers the package, and audits the use', async () => {
    const link = await issueDownloadLink({ requestId, packageKey, lifetimeDays: 7, now: new Date() });
    expect(link.url).toBe(`${stack.api}/v1/downloads/${link.token}`);

    const redirect = await get(link.url);
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    expect(redirect.headers.get('referrer-policy')).toBe('no-referrer');
    const location = redirect.headers.get('location')!;
    expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe('300');

    const download = await fetch(location);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="personal-data-${requestId}.zip"`,
    );
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(packageSha256);

    const trail = await listAuditEvents(requestId);
    expect(verifyChain(trail)).toEqual({ intact: true });
    const issued = trail.filter((event) => event.type === 'download-link-issued');
    const used = trail.filter((event) => event.type === 'download-link-used');
    expect(issued.at(-1)?.details).toMatchObject({ linkId: link.linkId, packageKey });
    expect(used.at(-1)).toMatchObject({
      actor: { kind: 'requester', id: 'download-link' },
      details: { linkId: link.linkId },
    });
    expect(JSON.stringify(trail)).not.toContain(link.token);
  });

  it('answers 403 to a token with one character changed', async () => {
    const { token } = await issueDownloadLink({ requestId, packageKey, lifetimeDays: 7, now: new Date() });
    const tampered = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
    expect((await get(`${stack.api}/v1/downloads/${tampered}`)).status).toBe(403);
    expect((await get(`${stack.api}/v1/downloads/not-a-token`)).status).toBe(403);
  });

  it('answers 403 once the link has expired', async () => {
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
    const link = await issueDownloadLink({ requestId, packageKey, lifetimeDays: 7, now: eightDaysAgo });
    const response = await get(link.url);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('link-invalid');
  });

  it('answers 410 to a revoked link, and audits the revocation once however often it is repeated', async () => {
    const link = await issueDownloadLink({ requestId, packageKey, lifetimeDays: 3, now: new Date() });
    const actor = { kind: 'agent' as const, id: 'agent-wang' };
    const first = await revokeDownloadLink({
      requestId,
      linkId: link.linkId,
      actor,
      now: new Date(),
      reason: 'sent to the wrong address',
    });
    const again = await revokeDownloadLink({ requestId, linkId: link.linkId, actor, now: new Date() });
    expect(first.alreadyRevoked).toBe(false);
    expect(again).toEqual({ ...first, alreadyRevoked: true });

    expect((await get(link.url)).status).toBe(410);
    const revoked = (await listAuditEvents(requestId)).filter(
      (event) => event.type === 'download-link-revoked' && event.details?.linkId === link.linkId,
    );
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ actor, details: { reason: 'sent to the wrong address' } });
    const summary = (await listDownloadLinks(requestId, new Date())).find(
      (each) => each.linkId === link.linkId,
    );
    expect(summary).toMatchObject({ state: 'revoked', uses: 0 });
  });

  it('refuses to revoke a link of another request', async () => {
    const link = await issueDownloadLink({ requestId, packageKey, lifetimeDays: 1, now: new Date() });
    await expect(
      revokeDownloadLink({
        requestId: 'dsr-someone-else',
        linkId: link.linkId,
        actor: { kind: 'agent', id: 'agent-wang' },
        now: new Date(),
      }),
    ).rejects.toMatchObject({ name: 'DownloadLinkNotFound' });
  });

  it('answers 403 from S3 when the presigned URL has one character of its signature changed', async () => {
    const link = await issueDownloadLink({ requestId, packageKey, lifetimeDays: 1, now: new Date() });
    const location = new URL((await get(link.url)).headers.get('location')!);
    const signature = location.searchParams.get('X-Amz-Signature')!;
    location.searchParams.set('X-Amz-Signature', (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1));
    const response = await fetch(location);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('SignatureDoesNotMatch');
  });

  it('answers 410 when the package behind a live link has been deleted', async () => {
    const link = await issueDownloadLink({
      requestId,
      packageKey: `${requestId}/gone.zip`,
      lifetimeDays: 1,
      now: new Date(),
    });
    const response = await get(link.url);
    expect(response.status).toBe(410);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('package-deleted');
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await (await fetch(`${stack.api}/openapi.json`)).json()) as {
      paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(document.paths['/v1/downloads/{token}']?.get?.responses ?? {})).toEqual([
      '302',
      '403',
      '410',
    ]);
  });
});
