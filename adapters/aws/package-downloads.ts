/** The production PackageDownloads (app/downloads/ports.ts): packages in the exports bucket, presigned GETs. */
import { GetObjectCommand, HeadObjectCommand, NotFound } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { PackageDownloads } from '../../app/downloads/ports';
import { s3 } from './clients/s3';
import { requiredEnv } from './runtime';

export const packageDownloads: PackageDownloads = {
  async exists(packageKey) {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: requiredEnv('EXPORTS_BUCKET'), Key: packageKey }));
      return true;
    } catch (error) {
      if (error instanceof NotFound) return false;
      throw error;
    }
  },
  downloadUrl(packageKey, fileName, expiresInSeconds) {
    return getSignedUrl(
      s3,
      new GetObjectCommand({
        Bucket: requiredEnv('EXPORTS_BUCKET'),
        Key: packageKey,
        ResponseContentType: 'application/zip',
        ResponseContentDisposition: `attachment; filename="${fileName}"`,
      }),
      { expiresIn: expiresInSeconds },
    );
  },
};
