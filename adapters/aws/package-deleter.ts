/** PackageDeleter (app/fulfilment/ports.ts) on the exports bucket, through the same deletion as the expired-exports job. */
import type { PackageDeleter } from '../../app/fulfilment/ports';
import { s3ExportObjects } from './export-objects';

export const s3PackageDeleter: PackageDeleter = {
  deletePackage: (packageKey) => s3ExportObjects.delete('exports', [packageKey]),
};
