/**
 * The ports of the fulfilment workflow's use cases, besides the shared ones in app/ports.ts (request
 * repository, clock, mailer, secrets). Production adapters are in adapters/aws/ (and adapters/config/
 * for the bundled registry, adapters/net/ for the portability push); tests use adapters/memory/.
 */
import type { Connector, ExportedRecord } from '../../connectors/contract';
import type {
  PackageCategory,
  PackageFile,
  PackageRequest,
  RetentionNotes,
} from '../../domain/export/package';
import type { StoreRegistry } from '../../domain/stores/schema';

/** The organisation's data-store registry (the one bundled with the function). */
export interface StoreCatalogue {
  registry(): StoreRegistry;
}

/** The connector of a registered store, for work on one request (a manual store's tasks go on it). */
export interface ConnectorFactory {
  connectorFor(storeId: string, requestId: string): Connector;
}

/** Where a store's exported records wait, as JSON Lines, until the package is built. */
export interface StagingArea {
  /** Writes `records` as they come (memory stays flat); answers the object's key and the count. */
  stage(
    requestId: string,
    storeId: string,
    records: AsyncIterable<ExportedRecord>,
  ): Promise<{ readonly key: string; readonly recordCount: number }>;
}

export interface StagedStore {
  readonly storeId: string;
  readonly description: string;
  readonly categories: readonly PackageCategory[];
  /** Key in the staging bucket of the store's JSON Lines file, `<requestId>/<storeId>.jsonl`. */
  readonly stagingKey: string;
  /** Records the store task wrote; the package fails if the staging object holds a different number. */
  readonly recordCount: number;
}

export interface ExportPackageInput {
  readonly requestId: string;
  readonly request: Omit<PackageRequest, 'requestId'>;
  readonly organisation?: string;
  readonly stores: readonly StagedStore[];
  readonly retention: RetentionNotes;
  /** When the package is generated; also the zip entries' modification time. */
  readonly now: Date;
}

export interface ExportPackageResult {
  /** Key in the exports bucket: `<requestId>/package.zip`. */
  readonly packageKey: string;
  /** Every file in the zip, manifest.json last (its digest is not in the manifest itself). */
  readonly files: readonly PackageFile[];
  readonly totalRecords: number;
  /** Size and SHA-256 of the zip itself. */
  readonly packageBytes: number;
  readonly packageSha256: string;
}

/** Builds the export package (one zip) from the staged stores. */
export interface PackageBuilder {
  build(input: ExportPackageInput): Promise<ExportPackageResult>;
}

/** Issues an expiring download link for a package (recorded on the request's trail). */
export interface DownloadLinkIssuer {
  issue(input: {
    readonly requestId: string;
    readonly packageKey: string;
    readonly lifetimeDays: number;
    readonly now: Date;
  }): Promise<{ readonly url: string; readonly expiresAt: string }>;
}

export interface PackageDigest {
  /** SHA-256, hex. */
  readonly sha256: string;
  readonly bytes: number;
}

/** What a portability recipient answered to a push, and what was sent. */
export interface PushAnswer {
  /** The endpoint's host and the address the push connected to (after the outbound guard's checks). */
  readonly host: string;
  readonly address: string;
  readonly status: number;
  readonly body: string;
  /** True if the answer was longer than the cap and was cut. */
  readonly truncated: boolean;
  /** The package as digested before sending (what the headers announced), and the bytes actually sent. */
  readonly expected: PackageDigest;
  readonly sent: PackageDigest;
}

/**
 * POSTs a package to a portability recipient's endpoint, only to an address the outbound guard accepts,
 * with `Content-Digest`, `Idempotency-Key` and `X-Dsar-Request-Id` (the request id). Redirects are
 * answered, never followed; the caller decides what an answer means.
 */
export interface PackagePush {
  push(input: {
    readonly endpoint: string;
    readonly requestId: string;
    readonly packageKey: string;
  }): Promise<PushAnswer>;
}

/** Deletes an export package (`<requestId>/package.zip` in the exports bucket); a package already gone is not an error. */
export interface PackageDeleter {
  deletePackage(packageKey: string): Promise<void>;
}
