/**
 * Builds the export package of a request (the production PackageBuilder): one zip in the exports bucket with,
 * per store, `<storeId>.json` (the records) and `<storeId>.csv` (the same,
 * flattened for a spreadsheet), then `index.html` (for a person) and
 * `manifest.json` (SHA-256 and size of every other file).
 *
 * Streamed end to end, so memory does not grow with the data: each staging
 * object (JSON Lines, written by the workflow's store tasks) is read as a
 * stream line by line, each zip entry is generated while yazl compresses it,
 * and the zip streams into a multipart upload. yazl writes one entry at a
 * time and asks for an entry's stream only when the previous one is done
 * (`addReadStreamLazy`), so at most one staging object is open at a time. The
 * CSV header needs the column set of all records, so each staging object is
 * read twice: while writing the JSON (collecting columns and counting), then
 * for the CSV. Digests are computed on the way through.
 *
 * Idempotent: the package key depends only on the request id, and a retry
 * overwrites it with the same content (the timestamp aside).
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ZipFile } from 'yazl';
import type {
  ExportPackageInput,
  ExportPackageResult,
  PackageBuilder,
  StagedStore,
} from '../../app/fulfilment/ports';
import type { ExportedRecord } from '../../connectors/contract';
import { csvLine } from '../../domain/csv';
import { PermanentError } from '../../domain/errors';
import { CSV_BYTE_ORDER_MARK, CsvColumns, csvRecordLine } from '../../domain/export/csv';
import { renderIndexPage } from '../../domain/export/index-page';
import { buildManifest, manifestJson } from '../../domain/export/manifest';
import {
  INDEX_FILE,
  MANIFEST_FILE,
  type PackageFile,
  type PackageRequest,
  type PackageStore,
  storeFileNames,
} from '../../domain/export/package';
import { digestingStream } from '../net/digesting-stream';
import { s3 } from './clients/s3';
import { requiredEnv } from './runtime';

/** The input cannot make a package (bad ids, duplicate stores). Permanent. */
export class InvalidPackageInput extends PermanentError {
  override readonly name = 'InvalidPackageInput' as const;
  readonly code = 'invalid-package-input';
}

/** A staging object named by the input does not exist. Permanent: the store task did not write it. */
export class StagingObjectMissing extends PermanentError {
  override readonly name = 'StagingObjectMissing' as const;
  readonly code = 'staging-object-missing';
  constructor(readonly storeId: string) {
    super(`The staging object of store ${storeId} does not exist`);
  }
}

/** A staging line is not an exported record of its store. Permanent. */
export class StagingRecordInvalid extends PermanentError {
  override readonly name = 'StagingRecordInvalid' as const;
  readonly code = 'staging-record-invalid';
  constructor(
    readonly storeId: string,
    readonly line: number,
    reason: string,
  ) {
    super(`Staging object of store ${storeId}, line ${line}: ${reason}`);
  }
}

/** The staging object holds a different number of records than its store task reported. Permanent. */
export class StagingCountMismatch extends PermanentError {
  override readonly name = 'StagingCountMismatch' as const;
  readonly code = 'staging-count-mismatch';
  constructor(
    readonly storeId: string,
    readonly expected: number,
    readonly found: number,
  ) {
    super(`Store ${storeId}: expected ${expected} staged records, found ${found}`);
  }
}

/** S3's smallest part; a smaller package goes up in one PUT. */
const PART_SIZE_BYTES = 5 * 1024 * 1024;
/** Two parts in flight: enough to overlap zipping with uploading, and memory stays at about 3 parts. */
const UPLOAD_QUEUE_SIZE = 2;
/** Generated text is handed to the zip in chunks of about this size, not one tiny write per record. */
const CHUNK_BYTES = 64 * 1024;

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const STORE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function packageKeyFor(requestId: string): string {
  return `${requestId}/package.zip`;
}

function validate(input: ExportPackageInput): void {
  if (!REQUEST_ID.test(input.requestId)) {
    throw new InvalidPackageInput('The request id is not usable as an object key prefix');
  }
  const seen = new Set<string>();
  for (const store of input.stores) {
    // `manifest` would make `manifest.json` collide with the package's own manifest.
    if (!STORE_ID.test(store.storeId) || store.storeId === 'manifest') {
      throw new InvalidPackageInput(`Store id ${JSON.stringify(store.storeId)} is not a usable file name`);
    }
    if (seen.has(store.storeId)) throw new InvalidPackageInput(`Store ${store.storeId} is listed twice`);
    seen.add(store.storeId);
    if (!Number.isInteger(store.recordCount) || store.recordCount < 0) {
      throw new InvalidPackageInput(`Store ${store.storeId} has an invalid record count`);
    }
  }
}

function parseStagedLine(storeId: string, lineNumber: number, line: string): ExportedRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new StagingRecordInvalid(storeId, lineNumber, 'not JSON');
  }
  const record = parsed as Partial<ExportedRecord> | null;
  if (
    record === null ||
    typeof record !== 'object' ||
    typeof record.category !== 'string' ||
    typeof record.recordKey !== 'string' ||
    record.data === null ||
    typeof record.data !== 'object' ||
    Array.isArray(record.data)
  ) {
    throw new StagingRecordInvalid(storeId, lineNumber, 'not an exported record');
  }
  if (record.storeId !== storeId) throw new StagingRecordInvalid(storeId, lineNumber, 'from another store');
  return record as ExportedRecord;
}

/** The records of one staging object, read line by line from the S3 response stream. */
async function* stagedRecords(store: StagedStore): AsyncGenerator<ExportedRecord> {
  let body: Readable;
  try {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: requiredEnv('STAGING_BUCKET'), Key: store.stagingKey }),
    );
    body = object.Body as Readable;
  } catch (error) {
    if (error instanceof NoSuchKey) throw new StagingObjectMissing(store.storeId);
    throw error;
  }
  // readline's async iterator pauses the input once 1,024 lines wait unread, so a slow zip slows the download.
  const lines = createInterface({ input: body, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber += 1;
      if (line.trim() === '') continue;
      yield parseStagedLine(store.storeId, lineNumber, line);
    }
  } finally {
    lines.close();
    body.destroy();
  }
}

/** Coalesces small strings into chunks of about CHUNK_BYTES. */
async function* chunked(texts: AsyncIterable<string>): AsyncGenerator<Buffer> {
  let pending: string[] = [];
  let pendingLength = 0;
  for await (const text of texts) {
    pending.push(text);
    pendingLength += text.length;
    if (pendingLength >= CHUNK_BYTES) {
      yield Buffer.from(pending.join(''), 'utf8');
      pending = [];
      pendingLength = 0;
    }
  }
  if (pending.length > 0) yield Buffer.from(pending.join(''), 'utf8');
}

/** A JSON array of the store's records, one per line; counts them and collects the CSV columns meanwhile. */
async function* storeJson(store: StagedStore, columns: CsvColumns, counted: { records: number }) {
  yield '[';
  let separator = '\n';
  for await (const record of stagedRecords(store)) {
    columns.add(record);
    counted.records += 1;
    yield separator + JSON.stringify(record);
    separator = ',\n';
  }
  yield counted.records === 0 ? ']\n' : '\n]\n';
  if (counted.records !== store.recordCount) {
    throw new StagingCountMismatch(store.storeId, store.recordCount, counted.records);
  }
}

async function* storeCsv(store: StagedStore, columns: readonly string[]) {
  yield CSV_BYTE_ORDER_MARK + csvLine(columns);
  for await (const record of stagedRecords(store)) yield csvRecordLine(columns, record);
}

async function* once(text: () => string) {
  yield text();
}

export async function buildExportPackage(input: ExportPackageInput): Promise<ExportPackageResult> {
  validate(input);
  const generatedAt = input.now.toISOString();
  const request: PackageRequest = { requestId: input.requestId, ...input.request };
  const packageKey = packageKeyFor(input.requestId);
  const files: PackageFile[] = [];
  const counted = new Map<string, { records: number }>();

  let firstError: unknown;
  let currentEntry: Readable | undefined;
  const zip = new ZipFile();
  const body = new PassThrough();
  const fail = (error: unknown) => {
    firstError ??= error;
    currentEntry?.destroy();
    body.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  zip.on('error', fail);

  /** A zip entry generated lazily from `source`, measured (SHA-256, bytes) as yazl reads it. */
  const addEntry = (name: string, source: () => AsyncIterable<string>) => {
    zip.addReadStreamLazy(name, { mtime: input.now }, (callback) => {
      const measured = async function* () {
        const hash = createHash('sha256');
        let bytes = 0;
        for await (const chunk of chunked(source())) {
          hash.update(chunk);
          bytes += chunk.length;
          yield chunk;
        }
        files.push({ name, sha256: hash.digest('hex'), bytes });
      };
      currentEntry = Readable.from(measured(), { objectMode: false, highWaterMark: CHUNK_BYTES });
      currentEntry.once('error', fail);
      callback(null, currentEntry);
    });
  };

  for (const store of input.stores) {
    const names = storeFileNames(store.storeId);
    const columns = new CsvColumns();
    const count = { records: 0 };
    counted.set(store.storeId, count);
    addEntry(names.json, () => storeJson(store, columns, count));
    addEntry(names.csv, () => storeCsv(store, columns.list()));
  }
  const packagedStores = (): PackageStore[] =>
    input.stores.map((store) => ({
      storeId: store.storeId,
      description: store.description,
      categories: store.categories,
      recordCount: counted.get(store.storeId)?.records ?? 0,
    }));
  addEntry(INDEX_FILE, () =>
    once(() =>
      renderIndexPage({
        request,
        ...(input.organisation !== undefined ? { organisation: input.organisation } : {}),
        generatedAt,
        stores: packagedStores(),
        retention: input.retention,
      }),
    ),
  );
  addEntry(MANIFEST_FILE, () =>
    once(() => manifestJson(buildManifest({ request, generatedAt, stores: packagedStores(), files }))),
  );
  zip.end();

  const measure = digestingStream();
  const zipping = pipeline(zip.outputStream as Readable, measure.stream, body).catch(fail);
  const upload = new Upload({
    client: s3,
    params: {
      Bucket: requiredEnv('EXPORTS_BUCKET'),
      Key: packageKey,
      Body: body,
      ContentType: 'application/zip',
    },
    partSize: PART_SIZE_BYTES,
    queueSize: UPLOAD_QUEUE_SIZE,
  });
  try {
    await upload.done();
  } catch (error) {
    fail(error);
    throw firstError;
  } finally {
    await zipping;
  }
  if (firstError !== undefined) throw firstError;

  const packaged = measure.result();
  return {
    packageKey,
    files,
    totalRecords: packagedStores().reduce((sum, store) => sum + store.recordCount, 0),
    packageBytes: packaged.bytes,
    packageSha256: packaged.sha256.toString('hex'),
  };
}

export type { ExportPackageInput, ExportPackageResult, StagedStore } from '../../app/fulfilment/ports';

export const packageBuilder: PackageBuilder = { build: buildExportPackage };
