/**
 * The S3 connector: a subject's objects are the objects under the store's key
 * prefixes with the subject's identifiers filled in (`invoices/{accountId}/`).
 * Listing is by prefix only (ListObjectsV2, paged), never a bucket-wide walk.
 *
 * - Export streams: small text and JSON objects come with their content;
 *   anything else comes as metadata, size and SHA-256, hashed as it streams
 *   past, so a large object is never held in memory whole.
 * - Erasure follows the erasure plan per object, judged on its metadata
 *   (`key`, `lastModified`, `size`): deleted objects are removed with
 *   DeleteObjects, and in a versioned bucket every version and delete marker
 *   under the subject's prefixes goes too (a "deleted" object whose old
 *   versions remain is not deleted). Objects under a legal hold stay and are
 *   tagged `dsar-restricted=<requestId>` and `dsar-restricted-until=<date>`.
 * - Verification re-lists.
 * - Corrections rewrite JSON objects (a top-level object: the allow-listed
 *   fields set, everything else as it was, same content type and metadata),
 *   on condition (If-Match) that the object is still the one read. All the
 *   subject's objects are read and checked first; an object that is not a
 *   JSON object refuses the whole correction with FieldNotCorrectable before
 *   anything is written. An object already holding the values is not
 *   rewritten. In a versioned bucket the earlier version stays as history.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { type ErasurePlan, planErasure } from '../../domain/stores/erasure-plan';
import type { LookupIdentifier, StoreDefinition } from '../../domain/stores/schema';
import { isTransientAwsError, toConnectorError } from '../aws-errors';
import {
  type BackoffOptions,
  backoffDelay,
  type ResolvedBackoff,
  resolveBackoff,
  withBackoff,
} from '../backoff';
import {
  assertCorrectable,
  type Connector,
  ConnectorPermanentError,
  ConnectorTransientError,
  type CorrectedField,
  CorrectionInterrupted,
  type CorrectionOutcome,
  type ErasureContext,
  type ErasureOutcome,
  type ExportedRecord,
  type FieldChange,
  FieldNotCorrectable,
  holdsValue,
  type RemainingData,
  type SubjectIdentity,
} from '../contract';
import { type CallOptions, DEFAULT_CALL_TIMEOUT_MS, retriableWithinCall, withinDeadline } from '../deadline';

export type S3Store = Extract<StoreDefinition, { kind: 's3' }>;

export const RESTRICTED_TAG = 'dsar-restricted';
export const RESTRICTED_UNTIL_TAG = 'dsar-restricted-until';

/** Objects up to this size with a text or JSON content type are exported with their content. */
export const INLINE_CONTENT_LIMIT = 256 * 1024;

const DELETE_OBJECTS_LIMIT = 1000;
const PLACEHOLDER = /\{(accountId|email|phone)\}/g;

export interface S3ConnectorOptions {
  readonly client: S3Client;
  readonly backoff?: BackoffOptions;
  /** How long one call may wait for the store's answer (the SDK would wait for ever). @default 10_000 */
  readonly callTimeoutMs?: number;
}

interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: string;
}

interface ObjectVersionRef {
  readonly Key: string;
  readonly VersionId?: string;
}

interface JsonDocument {
  readonly key: string;
  readonly contentType: string;
  readonly metadata: Record<string, string>;
  readonly etag?: string;
  readonly content: Record<string, unknown>;
}

function isJsonContentType(contentType: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

function isInlineContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type.startsWith('text/') || type === 'application/json' || type.endsWith('+json');
}

export class S3Connector implements Connector {
  readonly store: S3Store;
  private readonly client: S3Client;
  private readonly backoff: ResolvedBackoff;
  private readonly callTimeoutMs: number;
  private versioned: Promise<boolean> | undefined;

  constructor(store: S3Store, options: S3ConnectorOptions) {
    this.store = store;
    this.client = options.client;
    this.backoff = resolveBackoff(options.backoff);
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    for (const template of store.s3.prefixTemplates) {
      // `invoices/{accountId}` would also list `invoices/u-10011/...` for u-1001: another person's files.
      if (/\{\w+\}(?!\/)/.test(template)) {
        throw new ConnectorPermanentError(
          store.id,
          `prefix template ${template} must end each identifier placeholder with '/'`,
        );
      }
    }
  }

  private get bucket() {
    return this.store.s3.bucket;
  }

  private async send<T>(action: string, operation: (options: CallOptions) => Promise<T>): Promise<T> {
    try {
      return await withBackoff(this.backoff, retriableWithinCall(isTransientAwsError), () =>
        withinDeadline(this.store.id, action, this.callTimeoutMs, operation),
      );
    } catch (error) {
      throw toConnectorError(this.store.id, action, error);
    }
  }

  async healthCheck(): Promise<void> {
    await this.send('HeadBucket', (options) =>
      this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), options),
    );
  }

  /** The subject's prefixes: templates whose every placeholder has a usable identifier. */
  private prefixes(identity: SubjectIdentity): string[] {
    const prefixes: string[] = [];
    for (const template of this.store.s3.prefixTemplates) {
      let usable = true;
      const prefix = template.replace(PLACEHOLDER, (_, identifier: LookupIdentifier) => {
        const value = identity[identifier];
        if (value === undefined || value === '' || value.includes('/')) usable = false;
        return value ?? '';
      });
      if (usable) prefixes.push(prefix);
    }
    return [...new Set(prefixes)];
  }

  private async *listPrefix(prefix: string): AsyncGenerator<ListedObject> {
    let continuationToken: string | undefined;
    do {
      const page = await this.send('ListObjectsV2', (options) =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            ContinuationToken: continuationToken,
          }),
          options,
        ),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || !object.Key.startsWith(prefix)) continue;
        yield {
          key: object.Key,
          size: object.Size ?? 0,
          lastModified: (object.LastModified ?? new Date(0)).toISOString(),
        };
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }

  private async *subjectObjects(identity: SubjectIdentity): AsyncGenerator<ListedObject> {
    const seen = new Set<string>();
    for (const prefix of this.prefixes(identity)) {
      for await (const object of this.listPrefix(prefix)) {
        if (seen.has(object.key)) continue;
        seen.add(object.key);
        yield object;
      }
    }
  }

  async find(identity: SubjectIdentity): Promise<{ count: number; resolved: SubjectIdentity }> {
    let count = 0;
    for await (const _ of this.subjectObjects(identity)) count++;
    return { count, resolved: {} };
  }

  private get exportCategory(): string {
    const category = this.store.categories.find((candidate) => candidate.fields === undefined);
    return (category ?? this.store.categories[0])?.id ?? this.store.id;
  }

  async *export(identity: SubjectIdentity): AsyncIterable<ExportedRecord> {
    for await (const object of this.subjectObjects(identity)) {
      yield {
        storeId: this.store.id,
        category: this.exportCategory,
        recordKey: `${this.bucket}/${object.key}`,
        data: await this.readObject(object),
      };
    }
  }

  private async readObject(object: ListedObject): Promise<Record<string, unknown>> {
    const response = await this.send('GetObject', (options) =>
      this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: object.key }), options),
    );
    const size = response.ContentLength ?? object.size;
    const metadata = {
      key: object.key,
      size,
      lastModified: object.lastModified,
      contentType: response.ContentType ?? 'application/octet-stream',
    };
    const body = response.Body;
    if (body === undefined) return { ...metadata, content: '' };
    try {
      if (size <= INLINE_CONTENT_LIMIT && isInlineContentType(response.ContentType)) {
        return { ...metadata, content: await body.transformToString('utf-8') };
      }
      const hash = createHash('sha256');
      for await (const chunk of body as Readable) hash.update(chunk as Buffer);
      return { ...metadata, sha256: hash.digest('hex') };
    } catch (error) {
      throw toConnectorError(this.store.id, 'GetObject body', error);
    }
  }

  async correct(identity: SubjectIdentity, changes: readonly FieldChange[]): Promise<CorrectionOutcome> {
    assertCorrectable(this.store, changes);
    const documents: JsonDocument[] = [];
    for await (const object of this.subjectObjects(identity)) documents.push(await this.readJson(object));
    const records: CorrectedField[] = [];
    try {
      for (const document of documents) {
        const recordKey = `${this.bucket}/${document.key}`;
        const fields = changes.map((change) => ({
          recordKey,
          category: change.category,
          field: change.field,
          before: document.content[change.field],
          after: change.value,
          changed: !holdsValue(document.content[change.field], change.value),
        }));
        if (fields.some((field) => field.changed)) {
          const content = { ...document.content };
          for (const change of changes) content[change.field] = change.value;
          await this.send('PutObject', (options) =>
            this.client.send(
              new PutObjectCommand({
                Bucket: this.bucket,
                Key: document.key,
                Body: JSON.stringify(content),
                ContentType: document.contentType,
                Metadata: document.metadata,
                IfMatch: document.etag,
              }),
              options,
            ),
          );
        }
        records.push(...fields);
      }
    } catch (error) {
      if (error instanceof ConnectorTransientError || error instanceof ConnectorPermanentError) {
        throw new CorrectionInterrupted(this.store.id, records, error);
      }
      throw error;
    }
    return { status: 'applied', records };
  }

  /** An object as a JSON document, or FieldNotCorrectable: its content cannot be edited field by field. */
  private async readJson(object: ListedObject): Promise<JsonDocument> {
    const response = await this.send('GetObject', (options) =>
      this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: object.key }), options),
    );
    const contentType = response.ContentType ?? 'application/octet-stream';
    const size = response.ContentLength ?? object.size;
    if (!isJsonContentType(contentType) || size > INLINE_CONTENT_LIMIT || response.Body === undefined) {
      await (response.Body as Readable | undefined)?.destroy?.();
      throw new FieldNotCorrectable(this.store.id, `${object.key} is not a JSON document (${contentType})`);
    }
    let content: unknown;
    try {
      content = JSON.parse(await response.Body.transformToString('utf-8'));
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new FieldNotCorrectable(this.store.id, `${object.key} does not hold valid JSON`);
      }
      throw toConnectorError(this.store.id, 'GetObject body', error);
    }
    if (content === null || typeof content !== 'object' || Array.isArray(content)) {
      throw new FieldNotCorrectable(this.store.id, `${object.key} holds JSON that is not an object`);
    }
    return {
      key: object.key,
      contentType,
      metadata: response.Metadata ?? {},
      ...(response.ETag === undefined ? {} : { etag: response.ETag }),
      content: content as Record<string, unknown>,
    };
  }

  private plan(object: ListedObject, context: ErasureContext): ErasurePlan {
    return planErasure({
      categories: this.store.categories,
      record: { key: object.key, size: object.size, lastModified: object.lastModified },
      requestId: context.requestId,
      now: context.now,
      // Objects are deleted or kept whole; nothing is hashed, so no secrets are needed here.
      secrets: { hmacKey: context.hmacKey, salt: context.requestId },
    });
  }

  private isVersioned(): Promise<boolean> {
    this.versioned ??= withinDeadline(this.store.id, 'GetBucketVersioning', this.callTimeoutMs, (options) =>
      this.client.send(new GetBucketVersioningCommand({ Bucket: this.bucket }), options),
    ).then(
      ({ Status }) => Status === 'Enabled' || Status === 'Suspended',
      (error: unknown) => {
        this.versioned = undefined;
        // A server without versioning (s3rver in local mode) has no versions to delete.
        if ((error as { name?: unknown }).name === 'NotImplemented') return false;
        throw toConnectorError(this.store.id, 'GetBucketVersioning', error);
      },
    );
    return this.versioned;
  }

  async erase(identity: SubjectIdentity, context: ErasureContext): Promise<ErasureOutcome> {
    let deleted = 0;
    let retained = 0;
    const bases = new Set<string>();
    const kept = new Set<string>();
    const deletions: ObjectVersionRef[] = [];
    for await (const object of this.subjectObjects(identity)) {
      const plan = this.plan(object, context);
      switch (plan.action) {
        case 'delete':
          deletions.push({ Key: object.key });
          deleted++;
          break;
        case 'keep':
          kept.add(object.key);
          await this.tagRestricted(object.key, plan.restricted.requestId, plan.restricted.until);
          retained++;
          bases.add(plan.restricted.basis);
          break;
        case 'update':
          throw new ConnectorPermanentError(
            this.store.id,
            'an S3 object is deleted or kept whole; a category naming fields cannot be anonymised here',
          );
        case 'none':
          kept.add(object.key);
          break;
      }
    }
    if (await this.isVersioned()) {
      deletions.length = 0;
      for await (const version of this.subjectVersions(identity)) {
        if (!kept.has(version.Key)) deletions.push(version);
      }
    }
    await this.deleteObjects(deletions);
    return { deleted, anonymised: 0, retained, retainedBases: [...bases] };
  }

  /** Every version and delete marker under the subject's prefixes. */
  private async *subjectVersions(identity: SubjectIdentity): AsyncGenerator<ObjectVersionRef> {
    for (const prefix of this.prefixes(identity)) {
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      do {
        const page = await this.send('ListObjectVersions', (options) =>
          this.client.send(
            new ListObjectVersionsCommand({
              Bucket: this.bucket,
              Prefix: prefix,
              KeyMarker: keyMarker,
              VersionIdMarker: versionIdMarker,
            }),
            options,
          ),
        );
        for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
          if (entry.Key === undefined || !entry.Key.startsWith(prefix)) continue;
          yield entry.VersionId === undefined
            ? { Key: entry.Key }
            : { Key: entry.Key, VersionId: entry.VersionId };
        }
        const truncated = page.IsTruncated === true;
        keyMarker = truncated ? page.NextKeyMarker : undefined;
        versionIdMarker = truncated ? page.NextVersionIdMarker : undefined;
      } while (keyMarker !== undefined);
    }
  }

  /** DeleteObjects in batches of 1000, retrying the keys S3 reports as failed for a transient reason. */
  private async deleteObjects(objects: readonly ObjectVersionRef[]): Promise<void> {
    for (let i = 0; i < objects.length; i += DELETE_OBJECTS_LIMIT) {
      let pending = objects.slice(i, i + DELETE_OBJECTS_LIMIT);
      for (let retry = 0; pending.length > 0; retry++) {
        if (retry > 0) {
          if (retry >= this.backoff.attempts) {
            throw new ConnectorTransientError(
              this.store.id,
              'DeleteObjects left objects undeleted after retries',
            );
          }
          await this.backoff.sleep(backoffDelay(this.backoff, retry - 1));
        }
        const batch = pending;
        const result = await this.send('DeleteObjects', (options) =>
          this.client.send(
            new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: [...batch], Quiet: true } }),
            options,
          ),
        );
        const errors = result.Errors ?? [];
        const permanent = errors.find((error) => !isTransientAwsError({ name: error.Code }));
        if (permanent !== undefined) {
          throw new ConnectorPermanentError(
            this.store.id,
            `DeleteObjects failed: ${permanent.Code ?? 'unknown'}`,
          );
        }
        pending = errors.map((error) => ({
          Key: error.Key ?? '',
          ...(error.VersionId === undefined ? {} : { VersionId: error.VersionId }),
        }));
      }
    }
  }

  private async tags(key: string): Promise<Tag[]> {
    const { TagSet } = await this.send('GetObjectTagging', (options) =>
      this.client.send(new GetObjectTaggingCommand({ Bucket: this.bucket, Key: key }), options),
    );
    return TagSet ?? [];
  }

  /** Adds the restriction tags, keeping the object's other tags; unchanged when already tagged by this request. */
  private async tagRestricted(key: string, requestId: string, until: string): Promise<void> {
    const current = await this.tags(key);
    const value = (name: string) => current.find((tag) => tag.Key === name)?.Value;
    if (value(RESTRICTED_TAG) === requestId && value(RESTRICTED_UNTIL_TAG) === until) return;
    const others = current.filter((tag) => tag.Key !== RESTRICTED_TAG && tag.Key !== RESTRICTED_UNTIL_TAG);
    await this.send('PutObjectTagging', (options) =>
      this.client.send(
        new PutObjectTaggingCommand({
          Bucket: this.bucket,
          Key: key,
          Tagging: {
            TagSet: [
              ...others,
              { Key: RESTRICTED_TAG, Value: requestId },
              { Key: RESTRICTED_UNTIL_TAG, Value: until },
            ],
          },
        }),
        options,
      ),
    );
  }

  async verifyErasure(identity: SubjectIdentity, context: ErasureContext): Promise<RemainingData> {
    let remaining = 0;
    let anonymised = 0;
    let retained = 0;
    const bases = new Set<string>();
    const current = new Set<string>();
    for await (const object of this.subjectObjects(identity)) {
      current.add(object.key);
      const plan = this.plan(object, context);
      if (plan.action === 'none') anonymised++;
      else if (
        plan.action === 'keep' &&
        (await this.tags(object.key)).some((tag) => tag.Key === RESTRICTED_TAG)
      ) {
        retained++;
        bases.add(plan.restricted.basis);
      } else remaining++;
    }
    if (await this.isVersioned()) {
      // Old versions of deleted objects still hold the data; versions of kept objects are kept with them.
      for await (const version of this.subjectVersions(identity)) {
        if (!current.has(version.Key)) remaining++;
      }
    }
    return { remaining, anonymised, retained, retainedBases: [...bases] };
  }
}
