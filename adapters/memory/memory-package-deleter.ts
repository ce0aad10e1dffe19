/** PackageDeleter in memory, for unit tests: remembers the keys it was asked to delete. */
import type { PackageDeleter } from '../../app/fulfilment/ports';

export class MemoryPackageDeleter implements PackageDeleter {
  readonly deleted: string[] = [];

  async deletePackage(packageKey: string): Promise<void> {
    this.deleted.push(packageKey);
  }
}
