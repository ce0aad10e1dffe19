/**
 * The DynamoDB connector: finds a subject's items by Query on the table key or
 * a GSI (never Scan: a scan reads every customer's data to find one), streams
 * them out, and erases them item by item following the erasure plan
 * (domain/stores/erasure-plan.ts).
 *
 * Erasure writes are idempotent:
 * - deletes go in BatchWriteItem batches of 25, with the unprocessed items
 *   retried under exponential backoff with jitter; deleting an item that is
 *   already gone is not an error;
 * - anonymisation is a conditional UpdateItem: the item must still exist and
 *   must not already carry this request's `dsarAnonymised` marker, so a
 *   repeated or concurrent run changes nothing;
 * - an item kept under a legal hold gets `dsarRestriction: { requestId,
 *   basis, until }` (PIPL art. 47: processing restricted to storage).
 */
import { randomBytes } from 'node:crypto';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ErasurePlan, planErasure, RESTRICTION_ATTRIBUTE } from '../../domain/stores/erasure-plan';
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
  holdsValue,
  type RemainingData,
  type SubjectIdentity,
  singleResolved,
} from '../contract';
import { type CallOptions, DEFAULT_CALL_TIMEOUT_MS, retriableWithinCall, withinDeadline } from '../deadline';
import { splitByCategory } from './categories';

/** Marks an item anonymised: `{ requestId, at }`; the UpdateItem condition reads it. */
export const ANONYMISED_ATTRIBUTE = 'dsarAnonymised';

export type DynamoDbStore = Extract<StoreDefinition, { kind: 'dynamodb' }>;
type Item = Record<string, unknown>;

export interface DynamoDbConnectorOptions {
  readonly client: DynamoDBClient;
  readonly backoff?: BackoffOptions;
  /** How long one call may wait for the store's answer (the SDK would wait for ever). @default 10_000 */
  readonly callTimeoutMs?: number;
}

const BATCH_WRITE_LIMIT = 25;
/** Reads and re-decisions of one item's correction when its field keeps changing under us. */
const CORRECTION_ATTEMPTS = 3;
const BATCH_GET_LIMIT = 100;

export class DynamoDbConnector implements Connector {
  readonly store: DynamoDbStore;
  private readonly client: DynamoDBClient;
  private readonly documents: DynamoDBDocumentClient;
  private readonly backoff: ResolvedBackoff;
  private readonly callTimeoutMs: number;
  private projections: Promise<ReadonlyMap<string, string>> | undefined;

  constructor(store: DynamoDbStore, options: DynamoDbConnectorOptions) {
    this.store = store;
    this.client = options.client;
    this.documents = DynamoDBDocumentClient.from(options.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    this.backoff = resolveBackoff(options.backoff);
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  private get table() {
    return this.store.dynamodb;
  }

  /** Sends one command, retrying throttling and 5xx, and maps what still fails to a connector error. */
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
    const projections = await this.indexProjections();
    for (const lookup of this.table.lookups) {
      if (lookup.index !== undefined && !projections.has(lookup.index)) {
        throw new ConnectorPermanentError(this.store.id, `table has no index ${lookup.index}`);
      }
    }
  }

  /** Each GSI's projection type, read once: KEYS_ONLY and INCLUDE indexes need a BatchGet of the item. */
  private indexProjections(): Promise<ReadonlyMap<string, string>> {
    this.projections ??= this.send('DescribeTable', (options) =>
      this.client.send(new DescribeTableCommand({ TableName: this.table.tableName }), options),
    ).then(
      ({ Table }) =>
        new Map(
          (Table?.GlobalSecondaryIndexes ?? []).map((index) => [
            index.IndexName ?? '',
            index.Projection?.ProjectionType ?? 'KEYS_ONLY',
          ]),
        ),
      (error: unknown) => {
        this.projections = undefined;
        throw error;
      },
    );
    return this.projections;
  }

  private keyOf(item: Item): Item {
    const { partitionKey, sortKey } = this.table;
    return sortKey === undefined
      ? { [partitionKey]: item[partitionKey] }
      : { [partitionKey]: item[partitionKey], [sortKey]: item[sortKey] };
  }

  private recordKey(item: Item): string {
    const { partitionKey, sortKey } = this.table;
    const parts = [this.table.tableName, String(item[partitionKey])];
    if (sortKey !== undefined) parts.push(String(item[sortKey]));
    return parts.join('#');
  }

  /** Every page of one Query, following LastEvaluatedKey. */
  private async *queryPages(input: QueryCommandInput): AsyncGenerator<Item[]> {
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.send('Query', (options) =>
        this.documents.send(new QueryCommand({ ...input, ExclusiveStartKey: exclusiveStartKey }), options),
      );
      yield (page.Items ?? []) as Item[];
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey !== undefined);
  }

  /** Full items for keys read from a KEYS_ONLY/INCLUDE index, retrying UnprocessedKeys. */
  private async batchGet(keys: readonly Item[]): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
      let pending: Item[] = keys.slice(i, i + BATCH_GET_LIMIT);
      for (let retry = 0; pending.length > 0; retry++) {
        if (retry > 0) await this.waitBeforeRetry('BatchGetItem', retry - 1);
        const result = await this.send('BatchGetItem', (options) =>
          this.documents.send(
            new BatchGetCommand({
              RequestItems: { [this.table.tableName]: { Keys: pending, ConsistentRead: true } },
            }),
            options,
          ),
        );
        items.push(...((result.Responses?.[this.table.tableName] ?? []) as Item[]));
        pending = (result.UnprocessedKeys?.[this.table.tableName]?.Keys ?? []) as Item[];
      }
    }
    return items;
  }

  private async waitBeforeRetry(action: string, retry: number): Promise<void> {
    if (retry + 1 >= this.backoff.attempts) {
      throw new ConnectorTransientError(this.store.id, `${action} left items unprocessed after retries`);
    }
    await this.backoff.sleep(backoffDelay(this.backoff, retry));
  }

  /**
   * The subject's items, once each, as they are read: one Query per lookup
   * whose identifier is given. An item read through an index is kept only if
   * it still holds the identifier (an index can lag behind its table).
   */
  private async *subjectItems(identity: SubjectIdentity): AsyncGenerator<Item> {
    const seen = new Set<string>();
    for (const lookup of this.table.lookups) {
      const value = identity[lookup.identifier];
      if (value === undefined || value === '') continue;
      const projection =
        lookup.index === undefined
          ? 'ALL'
          : ((await this.indexProjections()).get(lookup.index) ?? 'KEYS_ONLY');
      const pages = this.queryPages({
        TableName: this.table.tableName,
        ...(lookup.index === undefined ? { ConsistentRead: true } : { IndexName: lookup.index }),
        KeyConditionExpression: '#identifier = :value',
        ExpressionAttributeNames: { '#identifier': lookup.keyAttribute },
        ExpressionAttributeValues: { ':value': value },
      });
      for await (const page of pages) {
        const items = projection === 'ALL' ? page : await this.batchGet(page.map((item) => this.keyOf(item)));
        for (const item of items) {
          const key = this.recordKey(item);
          if (seen.has(key) || item[lookup.keyAttribute] !== value) continue;
          seen.add(key);
          yield item;
        }
      }
    }
  }

  async find(identity: SubjectIdentity): Promise<{ count: number; resolved: SubjectIdentity }> {
    let count = 0;
    const values = new Map<LookupIdentifier, Set<string>>();
    for await (const item of this.subjectItems(identity)) {
      count++;
      for (const identifier of this.store.resolves ?? []) {
        const attribute = this.table.lookups.find((lookup) => lookup.identifier === identifier)?.keyAttribute;
        const value = attribute === undefined ? undefined : item[attribute];
        if (typeof value === 'string')
          values.set(identifier, (values.get(identifier) ?? new Set()).add(value));
      }
    }
    // Two accounts behind one verified email: guessing which is the requester's would be a disclosure.
    const resolved = singleResolved(this.store.id, values);
    return { count, resolved };
  }

  async *export(identity: SubjectIdentity): AsyncIterable<ExportedRecord> {
    for await (const item of this.subjectItems(identity)) {
      const recordKey = this.recordKey(item);
      for (const { category, data } of splitByCategory(
        this.store.categories,
        item,
        Object.keys(this.keyOf(item)),
      )) {
        yield { storeId: this.store.id, category, recordKey, data };
      }
    }
  }

  private plan(item: Item, context: ErasureContext, salt: string): ErasurePlan {
    return planErasure({
      categories: this.store.categories,
      record: item,
      requestId: context.requestId,
      now: context.now,
      secrets: { hmacKey: context.hmacKey, salt },
    });
  }

  async erase(identity: SubjectIdentity, context: ErasureContext): Promise<ErasureOutcome> {
    // Made for this run and dropped with it: a salted hash can then never be recomputed from a guess.
    const salt = randomBytes(32).toString('base64url');
    let deleted = 0;
    let anonymised = 0;
    let retained = 0;
    const bases = new Set<string>();
    let deletions: Item[] = [];
    for await (const item of this.subjectItems(identity)) {
      const plan = this.plan(item, context, salt);
      switch (plan.action) {
        case 'delete':
          deletions.push(this.keyOf(item));
          deleted++;
          if (deletions.length === BATCH_WRITE_LIMIT) {
            await this.batchDelete(deletions);
            deletions = [];
          }
          break;
        case 'update':
          if (await this.update(item, plan, context)) {
            if (plan.restricted === undefined) anonymised++;
          }
          if (plan.restricted !== undefined) {
            retained++;
            bases.add(plan.restricted.basis);
          }
          break;
        case 'keep':
          await this.restrict(item, plan, context);
          retained++;
          bases.add(plan.restricted.basis);
          break;
        case 'none':
          break;
      }
    }
    if (deletions.length > 0) await this.batchDelete(deletions);
    return { deleted, anonymised, retained, retainedBases: [...bases] };
  }

  private async batchDelete(keys: readonly Item[]): Promise<void> {
    let pending = keys.map((Key) => ({ DeleteRequest: { Key } }));
    for (let retry = 0; pending.length > 0; retry++) {
      if (retry > 0) await this.waitBeforeRetry('BatchWriteItem', retry - 1);
      const result = await this.send('BatchWriteItem', (options) =>
        this.documents.send(
          new BatchWriteCommand({ RequestItems: { [this.table.tableName]: pending } }),
          options,
        ),
      );
      pending = (result.UnprocessedItems?.[this.table.tableName] ?? []) as typeof pending;
    }
  }

  /** Applies an `update` plan; false when the condition failed (gone, or already done by this request). */
  private update(item: Item, plan: Extract<ErasurePlan, { action: 'update' }>, context: ErasureContext) {
    const marker = { requestId: context.requestId, at: context.now };
    const set: [string, unknown][] = [...Object.entries(plan.set), [ANONYMISED_ATTRIBUTE, marker]];
    if (plan.restricted !== undefined) set.push([RESTRICTION_ATTRIBUTE, plan.restricted]);
    return this.conditionalUpdate(item, ANONYMISED_ATTRIBUTE, context.requestId, set, plan.remove);
  }

  private restrict(item: Item, plan: Extract<ErasurePlan, { action: 'keep' }>, context: ErasureContext) {
    return this.conditionalUpdate(item, RESTRICTION_ATTRIBUTE, context.requestId, [
      [RESTRICTION_ATTRIBUTE, plan.restricted],
    ]);
  }

  /**
   * UpdateItem on `item`'s key, on condition that the item still exists and
   * `marker` does not already name this request. Returns whether it applied.
   */
  private async conditionalUpdate(
    item: Item,
    marker: string,
    requestId: string,
    set: readonly (readonly [string, unknown])[],
    remove: readonly string[] = [],
  ): Promise<boolean> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':requestId': requestId };
    const nameOf = (attribute: string) => {
      const placeholder = `#n${Object.keys(names).length}`;
      names[placeholder] = attribute;
      return placeholder;
    };
    const pathOf = (path: string) => path.split('.').map(nameOf).join('.');
    const setClauses = set.map(([path, value], i) => {
      values[`:v${i}`] = value;
      return `${pathOf(path)} = :v${i}`;
    });
    const removeClauses = remove.map(pathOf);
    const partitionKey = nameOf(this.table.partitionKey);
    const markerName = nameOf(marker);
    const requestIdName = nameOf('requestId');
    try {
      await this.send('UpdateItem', (options) =>
        this.documents.send(
          new UpdateCommand({
            TableName: this.table.tableName,
            Key: this.keyOf(item),
            UpdateExpression: [
              setClauses.length > 0 ? `SET ${setClauses.join(', ')}` : '',
              removeClauses.length > 0 ? `REMOVE ${removeClauses.join(', ')}` : '',
            ]
              .join(' ')
              .trim(),
            ConditionExpression: `attribute_exists(${partitionKey}) AND (attribute_not_exists(${markerName}) OR ${markerName}.${requestIdName} <> :requestId)`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
          options,
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConnectorPermanentError && isConditionFailure(error.cause)) return false;
      throw error;
    }
  }

  async correct(identity: SubjectIdentity, changes: readonly FieldChange[]): Promise<CorrectionOutcome> {
    assertCorrectable(this.store, changes);
    const records: CorrectedField[] = [];
    try {
      for await (const item of this.subjectItems(identity)) {
        const recordKey = this.recordKey(item);
        for (const change of changes) {
          if (!this.holdsCategory(item, change.category)) continue;
          records.push(await this.correctItem(item, recordKey, change));
        }
      }
    } catch (error) {
      if (error instanceof ConnectorTransientError || error instanceof ConnectorPermanentError) {
        throw new CorrectionInterrupted(this.store.id, records, error);
      }
      throw error;
    }
    return { status: 'applied', records };
  }

  /** An item holds a category naming fields when it has one of them; a whole-record category, always. */
  private holdsCategory(item: Item, categoryId: string): boolean {
    const category = this.store.categories.find((candidate) => candidate.id === categoryId);
    if (category?.fields === undefined) return true;
    return category.fields.some((field) => Object.hasOwn(item, field.split('.')[0] ?? field));
  }

  /** Sets one field of one item on condition that it still holds what was read. */
  private async correctItem(item: Item, recordKey: string, change: FieldChange): Promise<CorrectedField> {
    let current: Item | undefined = item;
    for (let attempt = 0; attempt < CORRECTION_ATTEMPTS && current !== undefined; attempt++) {
      const before = current[change.field];
      const reported = {
        recordKey,
        category: change.category,
        field: change.field,
        before,
        after: change.value,
      };
      if (holdsValue(before, change.value)) return { ...reported, changed: false };
      const exists = before !== undefined;
      try {
        await this.send('UpdateItem', (options) =>
          this.documents.send(
            new UpdateCommand({
              TableName: this.table.tableName,
              Key: this.keyOf(item),
              UpdateExpression: 'SET #field = :after',
              ConditionExpression: exists
                ? 'attribute_exists(#pk) AND #field = :before'
                : 'attribute_exists(#pk) AND attribute_not_exists(#field)',
              ExpressionAttributeNames: { '#pk': this.table.partitionKey, '#field': change.field },
              ExpressionAttributeValues: { ':after': change.value, ...(exists ? { ':before': before } : {}) },
            }),
            options,
          ),
        );
        return { ...reported, changed: true };
      } catch (error) {
        if (!(error instanceof ConnectorPermanentError && isConditionFailure(error.cause))) throw error;
        // Changed (or deleted) since it was read: read it again and decide on what is there now.
        current = await this.readItem(item);
      }
    }
    if (current === undefined) {
      throw new ConnectorTransientError(this.store.id, 'a record was deleted while it was being corrected');
    }
    throw new ConnectorTransientError(this.store.id, 'a record kept changing while it was being corrected');
  }

  private async readItem(item: Item): Promise<Item | undefined> {
    const { Item: found } = await this.send('GetItem', (options) =>
      this.documents.send(
        new GetCommand({ TableName: this.table.tableName, Key: this.keyOf(item), ConsistentRead: true }),
        options,
      ),
    );
    return found as Item | undefined;
  }

  async verifyErasure(identity: SubjectIdentity, context: ErasureContext): Promise<RemainingData> {
    let remaining = 0;
    let anonymised = 0;
    let retained = 0;
    const bases = new Set<string>();
    // The salt only matters for values still to be hashed, and those count as remaining whatever it is.
    const salt = randomBytes(32).toString('base64url');
    for await (const item of this.subjectItems(identity)) {
      const plan = this.plan(item, context, salt);
      if (plan.action === 'none') anonymised++;
      else if (plan.action === 'keep' && isRestricted(item[RESTRICTION_ATTRIBUTE])) {
        retained++;
        bases.add(plan.restricted.basis);
      } else remaining++;
    }
    return { remaining, anonymised, retained, retainedBases: [...bases] };
  }
}

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: unknown } | undefined)?.name === 'ConditionalCheckFailedException';
}

function isRestricted(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Item).requestId === 'string';
}
