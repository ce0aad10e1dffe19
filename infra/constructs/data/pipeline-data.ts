/**
 * The pipeline's state: DynamoDB tables and S3 buckets declared from the shared
 * definitions (`definitions/`), all encrypted under one customer-managed key.
 * Local mode creates the same tables and buckets from the same definitions.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket, type LifecycleRule, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type BucketDefinition, PIPELINE_BUCKETS } from '../../../definitions/buckets';
import { type KeyAttribute, PIPELINE_TABLES, type TableDefinition } from '../../../definitions/tables';
import {
  ABORT_INCOMPLETE_MULTIPART_UPLOAD_AFTER,
  accessLogBucketProps,
  customerManagedKeyProps,
  DEFAULT_ACCESS_LOG_RETENTION_DAYS,
  dataBucketProps,
  NONCURRENT_VERSION_EXPIRATION,
} from '../secure-defaults';

export interface PipelineDataProps {
  /**
   * Tables to declare.
   * @default PIPELINE_TABLES
   */
  readonly tables?: readonly TableDefinition[];
  /**
   * Buckets to declare.
   * @default PIPELINE_BUCKETS
   */
  readonly buckets?: readonly BucketDefinition[];
  /**
   * Object expiry in days by bucket id, replacing the definition's `expireAfterDays`
   * (deployment configuration decides how long exports and inbound mail are kept).
   * @default - each definition's own `expireAfterDays`
   */
  readonly expireAfterDays?: Readonly<Record<string, number>>;
  /**
   * Object Lock retention in days by bucket id, replacing the definition's `lockedForDays`
   * (deployment configuration decides how long audit anchors are locked).
   * @default - each definition's own `lockedForDays`
   */
  readonly lockedForDays?: Readonly<Record<string, number>>;
  /**
   * DynamoDB deletion protection on every table.
   * @default true
   */
  readonly tableDeletionProtection?: boolean;
  /**
   * Removal policy of the key, tables and buckets.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Days server access logs are kept.
   * @default 365
   */
  readonly accessLogRetentionDays?: number;
}

/** A definition that cannot be declared (duplicate id, unknown bucket, bad expiry). */
export class InvalidDataDefinitionError extends Error {
  override name = 'InvalidDataDefinitionError' as const;
}

export class PipelineData extends Construct {
  /** The customer-managed key encrypting every table and data bucket. */
  public readonly key: Key;
  /** Tables by `TableDefinition.id`. */
  public readonly tables: Readonly<Record<string, Table>>;
  /** Data buckets by `BucketDefinition.id`. */
  public readonly buckets: Readonly<Record<string, Bucket>>;
  /** Destination of the data buckets' server access logs. */
  public readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string, props: PipelineDataProps = {}) {
    super(scope, id);
    const tableDefinitions = props.tables ?? PIPELINE_TABLES;
    const bucketDefinitions = props.buckets ?? PIPELINE_BUCKETS;
    const expiryOverrides = props.expireAfterDays ?? {};
    const lockOverrides = props.lockedForDays ?? {};
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const accessLogRetentionDays = props.accessLogRetentionDays ?? DEFAULT_ACCESS_LOG_RETENTION_DAYS;

    // Validate.
    assertUniqueIds('table', tableDefinitions);
    assertUniqueIds('bucket', bucketDefinitions);
    for (const [bucketId, expiry] of Object.entries(expiryOverrides)) {
      if (!bucketDefinitions.some((definition) => definition.id === bucketId)) {
        throw new InvalidDataDefinitionError(`expireAfterDays names unknown bucket '${bucketId}'`);
      }
      assertPositiveDays(`expireAfterDays.${bucketId}`, expiry);
    }
    for (const [bucketId, days] of Object.entries(lockOverrides)) {
      const definition = bucketDefinitions.find((candidate) => candidate.id === bucketId);
      if (definition?.lockedForDays === undefined) {
        throw new InvalidDataDefinitionError(`lockedForDays names '${bucketId}', not a locked bucket`);
      }
      assertPositiveDays(`lockedForDays.${bucketId}`, days);
    }
    for (const definition of bucketDefinitions) {
      if (definition.lockedForDays !== undefined) {
        assertPositiveDays(`${definition.id}.lockedForDays`, definition.lockedForDays);
        if (!definition.versioned) {
          throw new InvalidDataDefinitionError(`${definition.id}: Object Lock needs a versioned bucket`);
        }
      }
      if (definition.expireAfterDays !== undefined) {
        assertPositiveDays(`${definition.id}.expireAfterDays`, definition.expireAfterDays);
      }
    }
    assertPositiveDays('accessLogRetentionDays', accessLogRetentionDays);

    // Build.
    this.key = new Key(
      this,
      'DataKey',
      customerManagedKeyProps('DSAR pipeline data: tables, buckets and queues', removalPolicy),
    );

    const tables: Record<string, Table> = {};
    for (const definition of tableDefinitions) {
      tables[definition.id] = this.declareTable(
        definition,
        props.tableDeletionProtection ?? true,
        removalPolicy,
      );
    }
    this.tables = tables;

    this.accessLogBucket = new Bucket(
      this,
      'AccessLogs',
      accessLogBucketProps(removalPolicy, accessLogRetentionDays),
    );

    const buckets: Record<string, Bucket> = {};
    for (const definition of bucketDefinitions) {
      buckets[definition.id] = this.declareBucket(
        definition,
        expiryOverrides[definition.id] ?? definition.expireAfterDays,
        lockOverrides[definition.id] ?? definition.lockedForDays,
        removalPolicy,
      );
    }
    this.buckets = buckets;
  }

  private declareTable(
    definition: TableDefinition,
    deletionProtection: boolean,
    removalPolicy: RemovalPolicy,
  ) {
    const table = new Table(this, definition.id, {
      partitionKey: attribute(definition.partitionKey),
      sortKey: definition.sortKey === undefined ? undefined : attribute(definition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: definition.timeToLiveAttribute,
      deletionProtection,
      removalPolicy,
    });
    for (const index of definition.globalSecondaryIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: index.sortKey === undefined ? undefined : attribute(index.sortKey),
        projectionType: index.projection === 'ALL' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY,
      });
    }
    return table;
  }

  private declareBucket(
    definition: BucketDefinition,
    expireAfterDays: number | undefined,
    lockedForDays: number | undefined,
    removalPolicy: RemovalPolicy,
  ): Bucket {
    const lifecycleRules: LifecycleRule[] = [
      {
        id: 'abort-incomplete-uploads',
        abortIncompleteMultipartUploadAfter: ABORT_INCOMPLETE_MULTIPART_UPLOAD_AFTER,
      },
    ];
    if (expireAfterDays !== undefined) {
      lifecycleRules.push({ id: 'expire-objects', expiration: Duration.days(expireAfterDays) });
    }
    if (definition.versioned) {
      lifecycleRules.push({
        id: 'expire-noncurrent-versions',
        noncurrentVersionExpiration: NONCURRENT_VERSION_EXPIRATION,
        expiredObjectDeleteMarker: expireAfterDays === undefined,
      });
    }
    return new Bucket(this, definition.id, {
      ...dataBucketProps({
        encryptionKey: this.key,
        serverAccessLogsBucket: this.accessLogBucket,
        serverAccessLogsPrefix: `${definition.id}/`,
        removalPolicy,
      }),
      versioned: definition.versioned,
      lifecycleRules,
      // Compliance mode: no one, the account's root user included, can delete or overwrite a
      // version before its retention ends, nor shorten the retention.
      ...(lockedForDays === undefined
        ? {}
        : {
            objectLockEnabled: true,
            objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(lockedForDays)),
          }),
    });
  }
}

function attribute(key: KeyAttribute) {
  return { name: key.name, type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER };
}

function assertUniqueIds(kind: string, definitions: readonly { readonly id: string }[]): void {
  const seen = new Set<string>();
  for (const { id } of definitions) {
    if (seen.has(id)) throw new InvalidDataDefinitionError(`Two ${kind} definitions share the id '${id}'`);
    seen.add(id);
  }
}

function assertPositiveDays(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidDataDefinitionError(
      `${field} must be a whole number of days, at least 1 (got ${value})`,
    );
  }
}
