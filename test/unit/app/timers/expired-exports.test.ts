import { describe, expect, it } from 'vitest';
import { MAX_DOWNLOAD_LINK_LIFETIME_DAYS } from '../../../../adapters/aws/download-links';
import { MemoryExportObjects } from '../../../../adapters/memory/memory-timer-ports';
import { deleteExpiredExports, EXPORT_RETENTION_DAYS } from '../../../../app/timers/expired-exports';

const DAY_MS = 24 * 60 * 60 * 1000;
const WRITTEN = new Date('2025-03-01T00:00:00.000Z');
const daysLater = (days: number) => new Date(WRITTEN.getTime() + days * DAY_MS);

/** Package a and its staging files; staging files of b, which never packaged; all written at WRITTEN. */
function buckets() {
  const objects = new MemoryExportObjects(2);
  objects.put('exports', 'dsr-a/package.zip', WRITTEN);
  objects.put('staging', 'dsr-a/accounts.jsonl', WRITTEN);
  objects.put('staging', 'dsr-a/orders.jsonl', WRITTEN);
  objects.put('staging', 'dsr-b/accounts.jsonl', WRITTEN);
  return objects;
}

describe('deleting expired exports', () => {
  it('keeps a package as long as the longest download link may live', () => {
    expect(EXPORT_RETENTION_DAYS).toBe(MAX_DOWNLOAD_LINK_LIFETIME_DAYS);
  });

  it('keeps packages and staging files younger than the retention', async () => {
    const objects = buckets();

    const result = await deleteExpiredExports({ objects }, { now: daysLater(EXPORT_RETENTION_DAYS - 1) });

    expect(result).toEqual({ requestIds: [], deletedPackageObjects: 0, deletedStagingObjects: 0 });
    expect(objects.keys('exports')).toEqual(['dsr-a/package.zip']);
    expect(objects.keys('staging')).toHaveLength(3);
  });

  it('deletes an expired package with its staging files, and staging files past the same age, page by page', async () => {
    const objects = buckets();
    // Rewritten later: its own age keeps it, but its package's deletion takes it.
    objects.put('staging', 'dsr-a/orders.jsonl', daysLater(EXPORT_RETENTION_DAYS));

    const result = await deleteExpiredExports({ objects }, { now: daysLater(EXPORT_RETENTION_DAYS) });

    expect(result).toEqual({ requestIds: ['dsr-a'], deletedPackageObjects: 1, deletedStagingObjects: 3 });
    expect(objects.keys('exports')).toEqual([]);
    expect(objects.keys('staging')).toEqual([]);
  });

  it('keeps a younger package while deleting the staging files of a request that never packaged', async () => {
    const objects = buckets();
    objects.put('exports', 'dsr-a/package.zip', daysLater(5));
    objects.put('staging', 'dsr-a/accounts.jsonl', daysLater(5));
    objects.put('staging', 'dsr-a/orders.jsonl', daysLater(5));

    const result = await deleteExpiredExports({ objects }, { now: daysLater(EXPORT_RETENTION_DAYS + 1) });

    expect(result).toEqual({ requestIds: [], deletedPackageObjects: 0, deletedStagingObjects: 1 });
    expect(objects.keys('staging')).toEqual(['dsr-a/accounts.jsonl', 'dsr-a/orders.jsonl']);
  });
});
