/**
 * manifest.json: the machine-readable description of an export package. A
 * recipient (or a portability target) checks each file against its SHA-256
 * and size; the manifest cannot list its own digest, so the package's
 * `package-created` audit event records the manifest's.
 * Pure: `generatedAt` comes in as an argument.
 */
import { type PackageFile, type PackageRequest, type PackageStore, storeFileNames } from './package';

/** Bumped when the manifest's shape changes incompatibly. */
export const MANIFEST_FORMAT = 'dsar-export-package/1';

export interface ManifestInput {
  readonly request: PackageRequest;
  /** ISO-8601 instant. */
  readonly generatedAt: string;
  readonly stores: readonly PackageStore[];
  /** Every other file of the package, in package order. */
  readonly files: readonly PackageFile[];
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly request: PackageRequest;
  readonly generatedAt: string;
  readonly totalRecords: number;
  readonly stores: readonly {
    readonly storeId: string;
    readonly description: string;
    readonly categories: readonly string[];
    readonly recordCount: number;
    readonly files: readonly string[];
  }[];
  readonly files: readonly PackageFile[];
}

export function buildManifest(input: ManifestInput): Manifest {
  return {
    format: MANIFEST_FORMAT,
    request: input.request,
    generatedAt: input.generatedAt,
    totalRecords: input.stores.reduce((sum, store) => sum + store.recordCount, 0),
    stores: input.stores.map((store) => {
      const names = storeFileNames(store.storeId);
      return {
        storeId: store.storeId,
        description: store.description,
        categories: store.categories.map((category) => category.id),
        recordCount: store.recordCount,
        files: [names.json, names.csv],
      };
    }),
    files: input.files.map(({ name, sha256, bytes }) => ({ name, sha256, bytes })),
  };
}

/** The manifest as written into the package: indented, so a person can read it too. */
export function manifestJson(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
