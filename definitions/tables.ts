/**
 * DynamoDB table definitions: the one source of truth for key schemas and
 * indexes. Local mode creates tables from these (local/), and the CDK stack
 * declares them from these (infra/). Plain data, no aws-cdk-lib imports.
 */

export type AttributeType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: AttributeType;
}

export interface GlobalSecondaryIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** ALL copies every attribute; KEYS_ONLY keeps the index small when callers fetch the item anyway. */
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

export interface TableDefinition {
  /** Logical id, used as the CDK construct id and, prefixed, as the local table name. */
  readonly id: string;
  /** Environment variable through which handlers receive the physical table name. */
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes: readonly GlobalSecondaryIndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, when items expire on their own. */
  readonly timeToLiveAttribute?: string;
  /** Why the table exists, shown in docs and as the CDK description. */
  readonly purpose: string;
}

/** One item per request: the source of truth for its status, clock and identifiers (hashed). */
export const REQUESTS_TABLE: TableDefinition = {
  id: 'Requests',
  envVar: 'REQUESTS_TABLE',
  partitionKey: { name: 'requestId', type: 'S' },
  globalSecondaryIndexes: [
    {
      // Sparse: only open requests carry `openShard`, so the timer sweeper
      // queries open requests in due-date order without ever scanning.
      indexName: 'byDueDate',
      partitionKey: { name: 'openShard', type: 'S' },
      sortKey: { name: 'dueSortKey', type: 'S' },
      projection: 'ALL',
    },
    {
      // Subject lookup by keyed hash of a normalised identifier: no plain
      // email or phone number is ever a key.
      indexName: 'bySubject',
      partitionKey: { name: 'subjectKey', type: 'S' },
      sortKey: { name: 'receivedAt', type: 'S' },
      projection: 'KEYS_ONLY',
    },
    {
      // Sparse: only closed requests that still hold clear values carry `clearShard`, so the
      // minimisation job finds those closed longest ago without a scan (domain/minimisation.ts).
      indexName: 'byClosedAt',
      partitionKey: { name: 'clearShard', type: 'S' },
      sortKey: { name: 'closedAt', type: 'S' },
      projection: 'ALL',
    },
    {
      // The console's list by status, open and closed alike, in due-date order
      // (the sparse byDueDate index holds open requests only).
      indexName: 'byStatus',
      partitionKey: { name: 'status', type: 'S' },
      sortKey: { name: 'dueSortKey', type: 'S' },
      projection: 'ALL',
    },
  ],
  purpose: 'Data subject requests: status, deadline, hashed identifiers',
};

/**
 * Append-only, hash-chained audit trail. Writers get PutItem with a
 * condition that the sequence number is new, and nothing else.
 */
export const AUDIT_TABLE: TableDefinition = {
  id: 'AuditEvents',
  envVar: 'AUDIT_TABLE',
  partitionKey: { name: 'requestId', type: 'S' },
  sortKey: { name: 'seq', type: 'N' },
  globalSecondaryIndexes: [],
  purpose: 'Append-only, hash-chained audit trail of every state change',
};

/** Hashed secrets that expire: verification codes, status tokens, download tokens. */
export const TOKENS_TABLE: TableDefinition = {
  id: 'Tokens',
  envVar: 'TOKENS_TABLE',
  partitionKey: { name: 'tokenKey', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiresAtEpoch',
  purpose: 'Hashed one-time codes and bearer tokens with expiry',
};

/** Powertools idempotency records (its default key and TTL attribute names). */
export const IDEMPOTENCY_TABLE: TableDefinition = {
  id: 'Idempotency',
  envVar: 'IDEMPOTENCY_TABLE',
  partitionKey: { name: 'id', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiration',
  purpose: 'Idempotency records for intake and fulfilment tasks',
};

/**
 * Official holiday notices an operator imported at run time (`dsar calendar import`, the console's
 * calendar page), one item per calendar and year, merged over the packaged calendars by every function
 * that computes a deadline. A year's notice arrives once a year, so reads are cached per container.
 */
export const CALENDAR_NOTICES_TABLE: TableDefinition = {
  id: 'CalendarNotices',
  envVar: 'CALENDAR_NOTICES_TABLE',
  partitionKey: { name: 'calendarId', type: 'S' },
  sortKey: { name: 'year', type: 'N' },
  globalSecondaryIndexes: [],
  purpose: 'Official holiday notices imported at run time, merged over the packaged calendars',
};

/**
 * Counters of the limits that hold across requests (domain/intake-limits.ts): wrong codes per subject,
 * requests per client, each in a fixed window, expiring on their own. A table of its own so that the
 * public functions that count get no access to download tokens.
 */
export const ABUSE_COUNTERS_TABLE: TableDefinition = {
  id: 'AbuseCounters',
  envVar: 'ABUSE_COUNTERS_TABLE',
  partitionKey: { name: 'counterKey', type: 'S' },
  globalSecondaryIndexes: [],
  timeToLiveAttribute: 'expiresAtEpoch',
  purpose: 'Windowed counters of wrong codes per subject and requests per client (keyed hashes only)',
};

export const PIPELINE_TABLES: readonly TableDefinition[] = [
  REQUESTS_TABLE,
  AUDIT_TABLE,
  TOKENS_TABLE,
  IDEMPOTENCY_TABLE,
  CALENDAR_NOTICES_TABLE,
  ABUSE_COUNTERS_TABLE,
];
