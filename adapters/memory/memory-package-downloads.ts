/** PackageDownloads for unit tests: a set of package keys, and URLs that say what they were made of. */
import type { PackageDownloads } from '../../app/downloads/ports';

export class MemoryPackageDownloads implements PackageDownloads {
  readonly packages = new Set<string>();

  async exists(packageKey: string): Promise<boolean> {
    return this.packages.has(packageKey);
  }

  async downloadUrl(packageKey: string, fileName: string, expiresInSeconds: number): Promise<string> {
    const query = new URLSearchParams({ name: fileName, expires: String(expiresInSeconds) });
    return `https://packages.example/${packageKey}?${query.toString()}`;
  }
}
