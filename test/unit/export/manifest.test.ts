import { describe, expect, it } from 'vitest';
import { buildManifest, MANIFEST_FORMAT, manifestJson } from '../../../domain/export/manifest';
import type { PackageRequest, PackageStore } from '../../../domain/export/package';

const request: PackageRequest = {
  requestId: 'dsr-1',
  type: 'access',
  policyId: 'caftrade',
  policyName: 'CAF Trade',
  locale: 'en',
  receivedAt: '2025-09-26T02:00:00.000Z',
  dueDate: null,
};

const store = (storeId: string, recordCount: number): PackageStore => ({
  storeId,
  description: `${storeId} store`,
  categories: [{ id: 'account', description: 'Account', erasure: { mode: 'delete' } }],
  recordCount,
});

const digest = (name: string, bytes: number) => ({ name, sha256: 'a'.repeat(64), bytes });

describe('the manifest of an export package', () => {
  it('describes the request, each store and every file with its digest and size', () => {
    const manifest = buildManifest({
      request,
      generatedAt: '2025-09-30T08:00:00.000Z',
      stores: [store('accounts', 2), store('orders', 5)],
      files: [digest('accounts.json', 10), digest('accounts.csv', 8), digest('index.html', 100)],
    });
    expect(manifest).toEqual({
      format: MANIFEST_FORMAT,
      request,
      generatedAt: '2025-09-30T08:00:00.000Z',
      totalRecords: 7,
      stores: [
        {
          storeId: 'accounts',
          description: 'accounts store',
          categories: ['account'],
          recordCount: 2,
          files: ['accounts.json', 'accounts.csv'],
        },
        {
          storeId: 'orders',
          description: 'orders store',
          categories: ['account'],
          recordCount: 5,
          files: ['orders.json', 'orders.csv'],
        },
      ],
      files: [digest('accounts.json', 10), digest('accounts.csv', 8), digest('index.html', 100)],
    });
  });

  it('is written as indented JSON that parses back to itself', () => {
    const manifest = buildManifest({
      request,
      generatedAt: '2025-09-30T08:00:00.000Z',
      stores: [],
      files: [],
    });
    const text = manifestJson(manifest);
    expect(text).toContain('\n  "format"');
    expect(JSON.parse(text)).toEqual({ ...manifest, totalRecords: 0 });
  });
});
