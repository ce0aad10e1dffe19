/**
 * What an export package says about itself: the request it answers, the
 * stores and categories its files come from, what the organisation keeps and
 * why, and a digest of every file. Shared by the index page and the manifest.
 * Pure types and one naming rule; no I/O.
 */
import type { PolicyProfile } from '../policy/schema';
import type { RequestType } from '../request';
import type { DataCategory } from '../stores/schema';

export interface PackageRequest {
  readonly requestId: string;
  readonly type: RequestType;
  readonly policyId: string;
  readonly policyName: string;
  readonly locale: 'zh-CN' | 'en';
  /** ISO-8601 instant of receipt. */
  readonly receivedAt: string;
  /** Plain date (policy time zone) on which the identity was verified. */
  readonly verifiedOn?: string;
  /** Plain date the reply is due; null while the clock has not started. */
  readonly dueDate: string | null;
}

export type PackageCategory = Pick<DataCategory, 'id' | 'description' | 'erasure'>;

export interface PackageStore {
  readonly storeId: string;
  readonly description: string;
  readonly categories: readonly PackageCategory[];
  /** Records in the package from this store (counted while packaging). */
  readonly recordCount: number;
}

export type LegalHold = PolicyProfile['legalHolds'][number];

/** The policy's words on what is kept after erasure and what backups still hold. */
export interface RetentionNotes {
  readonly legalHolds: readonly LegalHold[];
  readonly backupCaveat?: string;
}

export interface PackageFile {
  readonly name: string;
  /** Lower-case hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  readonly bytes: number;
}

export const INDEX_FILE = 'index.html';
export const MANIFEST_FILE = 'manifest.json';

/** File names of a store's data in the package. */
export function storeFileNames(storeId: string): { readonly json: string; readonly csv: string } {
  return { json: `${storeId}.json`, csv: `${storeId}.csv` };
}
