/**
 * Deletes export packages older than the longest a download link can live,
 * and the staging files they were built from. On AWS the exports and staging
 * buckets' lifecycle rules do this and this job is a harmless second line;
 * local mode has no lifecycle rules, so the sweeper runs it.
 *
 * Age is the object's last write: a package is (re)written just before its
 * first link is issued, so no link outlives its package by more than the time
 * between the two. Staging files go with their package (same `<requestId>/`
 * prefix), and any staging file past the same age goes too, so the working
 * files of a workflow that never packaged do not linger.
 */
import type { ExportArea, ExportObjects, StoredObject } from './ports';

/**
 * A package is kept as long as the longest link may live: MAX_DOWNLOAD_LINK_LIFETIME_DAYS
 * (adapters/aws/download-links.ts, the policy schema's cap), which a unit test holds it to.
 */
export const EXPORT_RETENTION_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ExpiredExportsDeps {
  readonly objects: ExportObjects;
}

export interface ExpiredExportsResult {
  /** Request ids whose package was deleted. */
  readonly requestIds: readonly string[];
  readonly deletedPackageObjects: number;
  readonly deletedStagingObjects: number;
}

function requestIdOf(key: string): string {
  return key.split('/')[0] ?? key;
}

/** Deletes, page by page, the objects of `area` that `shouldDelete` picks; answers their keys. */
async function deleteWhere(
  objects: ExportObjects,
  area: ExportArea,
  shouldDelete: (object: StoredObject) => boolean,
): Promise<string[]> {
  const deleted: string[] = [];
  for await (const page of objects.list(area)) {
    const keys = page.filter(shouldDelete).map((object) => object.key);
    if (keys.length > 0) await objects.delete(area, keys);
    deleted.push(...keys);
  }
  return deleted;
}

export async function deleteExpiredExports(
  deps: ExpiredExportsDeps,
  { now }: { readonly now: Date },
): Promise<ExpiredExportsResult> {
  const cutoff = now.getTime() - EXPORT_RETENTION_DAYS * DAY_MS;
  const isExpired = ({ lastModified }: StoredObject) =>
    lastModified !== undefined && lastModified.getTime() <= cutoff;

  const packages = await deleteWhere(deps.objects, 'exports', isExpired);
  const requestIds = new Set(packages.map(requestIdOf));
  const staging = await deleteWhere(
    deps.objects,
    'staging',
    (object) => requestIds.has(requestIdOf(object.key)) || isExpired(object),
  );
  return {
    requestIds: [...requestIds],
    deletedPackageObjects: packages.length,
    deletedStagingObjects: staging.length,
  };
}
