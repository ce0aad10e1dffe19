/**
 * Deletes export packages older than the longest a download link can live,
 * and the staging files they were built from. On AWS the exports and staging
 * buckets' lifecycle rules do this and this job is a harmless second line;
 * local mode has no lifecycle rules, so the sweeper runs it.
 *
 * Age is the object's LastModified: a package is (re)written just before its
 * first link is issued, so no link outlives its package by more than the time
 * between the two. Staging files go with their package (same `<requestId>/`
 * prefix), and any staging file past the same age goes too, so the working
 * files of a workflow that never packaged do not linger.
 */
import { DeleteObjectsCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { s3 } from '../../adapters/aws/clients/s3';
import { MAX_DOWNLOAD_LINK_LIFETIME_DAYS } from '../../adapters/aws/download-links';
import { requiredEnv } from '../../adapters/aws/runtime';
import { TransientError } from '../../domain/errors';

/** A package is kept as long as the longest link may live. */
export const EXPORT_RETENTION_DAYS = MAX_DOWNLOAD_LINK_LIFETIME_DAYS;

const DAY_MS = 24 * 60 * 60 * 1000;
/** DeleteObjects takes at most 1,000 keys. */
const DELETE_BATCH = 1000;

export interface ExpiredExportsResult {
  /** Request ids whose package was deleted. */
  readonly requestIds: readonly string[];
  readonly deletedPackageObjects: number;
  readonly deletedStagingObjects: number;
}

/** Some objects could not be deleted (S3 reported per-key errors). Transient: the next run retries them. */
export class ExportDeletionIncomplete extends TransientError {
  override readonly name = 'ExportDeletionIncomplete' as const;
  readonly code = 'export-deletion-incomplete';
  constructor(
    readonly bucket: string,
    readonly failed: number,
  ) {
    super(`${failed} object(s) in ${bucket} could not be deleted`);
  }
}

function requestIdOf(key: string): string {
  return key.split('/')[0] ?? key;
}

async function deleteKeys(bucket: string, keys: readonly string[]): Promise<number> {
  let deleted = 0;
  for (let start = 0; start < keys.length; start += DELETE_BATCH) {
    const batch = keys.slice(start, start + DELETE_BATCH);
    const result = await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
      }),
    );
    const failed = result.Errors?.length ?? 0;
    if (failed > 0) throw new ExportDeletionIncomplete(bucket, failed);
    deleted += batch.length;
  }
  return deleted;
}

/**
 * Deletes, page by page, the objects of `bucket` that `shouldDelete` picks.
 * Deleting keys already listed does not disturb ListObjectsV2's continuation.
 */
async function sweep(
  bucket: string,
  shouldDelete: (key: string, lastModified: Date | undefined) => boolean,
): Promise<string[]> {
  const deleted: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
    const keys = (page.Contents ?? [])
      .filter((object) => object.Key !== undefined && shouldDelete(object.Key, object.LastModified))
      .map((object) => object.Key as string);
    await deleteKeys(bucket, keys);
    deleted.push(...keys);
  }
  return deleted;
}

export async function deleteExpiredExports({ now }: { readonly now: Date }): Promise<ExpiredExportsResult> {
  const cutoff = now.getTime() - EXPORT_RETENTION_DAYS * DAY_MS;
  const isExpired = (lastModified: Date | undefined) =>
    lastModified !== undefined && lastModified.getTime() <= cutoff;

  const packages = await sweep(requiredEnv('EXPORTS_BUCKET'), (_key, lastModified) =>
    isExpired(lastModified),
  );
  const requestIds = new Set(packages.map(requestIdOf));
  const staging = await sweep(
    requiredEnv('STAGING_BUCKET'),
    (key, lastModified) => requestIds.has(requestIdOf(key)) || isExpired(lastModified),
  );
  return {
    requestIds: [...requestIds],
    deletedPackageObjects: packages.length,
    deletedStagingObjects: staging.length,
  };
}
