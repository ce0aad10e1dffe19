/**
 * The export areas on S3 (app/timers/ports.ts ExportObjects): the exports bucket (EXPORTS_BUCKET) and
 * the staging bucket (STAGING_BUCKET), named by the environment at call time. Listing goes through the
 * SDK's paginator; deleting, through DeleteObjects in batches of 1,000.
 */
import { DeleteObjectsCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import {
  deleteExpiredExports as deleteExpired,
  type ExpiredExportsResult,
} from '../../app/timers/expired-exports';
import type { ExportArea, ExportObjects, StoredObject } from '../../app/timers/ports';
import { TransientError } from '../../domain/errors';
import { s3 } from './clients/s3';
import { requiredEnv } from './runtime';

export { EXPORT_RETENTION_DAYS } from '../../app/timers/expired-exports';

/** DeleteObjects takes at most 1,000 keys. */
const DELETE_BATCH = 1000;

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

function bucketOf(area: ExportArea): string {
  return requiredEnv(area === 'exports' ? 'EXPORTS_BUCKET' : 'STAGING_BUCKET');
}

export const s3ExportObjects: ExportObjects = {
  async *list(area) {
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucketOf(area) })) {
      yield (page.Contents ?? []).flatMap((object): StoredObject[] =>
        object.Key === undefined
          ? []
          : [{ key: object.Key, ...(object.LastModified ? { lastModified: object.LastModified } : {}) }],
      );
    }
  },

  async delete(area, keys) {
    const bucket = bucketOf(area);
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
    }
  },
};

/** The expired-exports job over these buckets (app/timers/expired-exports.ts), as the sweeper runs it. */
export function deleteExpiredExports(input: { readonly now: Date }): Promise<ExpiredExportsResult> {
  return deleteExpired({ objects: s3ExportObjects }, input);
}
