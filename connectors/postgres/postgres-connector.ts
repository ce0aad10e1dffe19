/**
 * The PostgreSQL connector: finds, exports and erases a subject's rows in the
 * tables the registry lists, through `pg`.
 *
 * SQL safety: every value is a bind parameter (`$1`). Table and column names
 * come only from the validated registry (which restricts them to lowercase
 * identifiers) or from the catalog, and are quoted as identifiers; nothing a
 * request carries is ever spliced into SQL text.
 *
 * Erasure runs in ONE transaction per subject: the rows are read FOR UPDATE,
 * the shared erasure plan (domain/stores/erasure-plan) decides each row's fate
 * (delete, update anonymised columns, keep under a hold, nothing), and either
 * everything is applied or nothing is. A table with a `dsar_restriction`
 * jsonb column gets each kept row's restriction (request, basis, end of the
 * retention period) written there; in a table without it, a kept row is
 * counted as retained and left unmarked.
 *
 * Export streams: each table is read through a server-side cursor
 * (DECLARE ... CURSOR / FETCH in a read-only transaction), so a subject with a
 * million rows never sits in memory at once.
 *
 * Corrections (PIPL art. 46) also run in one transaction: the subject's rows
 * of each table holding a corrected category are read FOR UPDATE, and one
 * parameterised UPDATE per row sets the allow-listed columns that differ
 * (column names quoted as identifiers, values bound). A column already
 * holding the value is left alone, so a repeat changes nothing.
 *
 * Connection: the registry names a connection (`CRM`); its URL comes from the
 * environment variable `PG_CRM_URL` (on AWS the function's environment is
 * filled from a secret), read when the first query runs.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { MaskingSecrets } from '../../domain/masking';
import { type ErasurePlan, planErasure, type Restriction } from '../../domain/stores/erasure-plan';
import type { DataCategory, LookupIdentifier, StoreDefinition } from '../../domain/stores/schema';
import {
  assertCorrectable,
  type Connector,
  ConnectorPermanentError,
  ConnectorTransientError,
  type CorrectedField,
  type CorrectionOutcome,
  type CorrectionValue,
  type ErasureContext,
  type ErasureOutcome,
  type ExportedRecord,
  type FieldChange,
  FieldNotCorrectable,
  holdsValue,
  type RemainingData,
  type SubjectIdentity,
  singleResolved,
} from '../contract';
import { toConnectorError } from './errors';

export type PostgresStoreDefinition = Extract<StoreDefinition, { kind: 'postgres' }>;

/** The jsonb column a kept row's restriction is written to, when the table has it. */
export const RESTRICTION_COLUMN = 'dsar_restriction';

/** Rows fetched from a cursor per round trip. */
const FETCH_SIZE = 200;

export interface PostgresConnectorOptions {
  /** Where `PG_<CONNECTION>_URL` is read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Overrides the environment, e.g. for the local stack. */
  readonly connectionString?: string;
  /**
   * Reads the connection URL when the first query runs (the store's
   * `connectionSecret`, through the functions' secrets cache); wins over `env`.
   */
  readonly readConnectionString?: () => Promise<string>;
  /** @default 5_000 */
  readonly connectionTimeoutMs?: number;
  /** Server-side limit per statement. @default 30_000 */
  readonly statementTimeoutMs?: number;
  /**
   * Client-side limit per statement, which also catches a server or network
   * that stops answering (statement_timeout cannot: it runs on the server).
   * @default statementTimeoutMs + 5_000
   */
  readonly queryTimeoutMs?: number;
  /** @default 4 */
  readonly maxConnections?: number;
}

/**
 * A client checked out of the pool, with an 'error' listener for as long as
 * it is ours. pg emits 'error' on a client whose connection breaks (the
 * server terminated the backend: 57P01; the socket was reset) even when no
 * query is running, as when an export waits between two pages for its
 * consumer; with no listener that 'error' is thrown and ends the process.
 * The pool listens to its idle clients itself, so the listener comes off on
 * release.
 */
class Lease {
  /** The connection error, once the connection has broken. */
  private lost: unknown;
  private readonly onError = (error: Error) => {
    this.lost ??= error;
  };

  constructor(
    private readonly storeId: string,
    readonly client: pg.PoolClient,
  ) {
    client.on('error', this.onError);
  }

  get broken(): boolean {
    return this.lost !== undefined;
  }

  /**
   * The connector error for a failure while this client was ours. When the
   * connection broke, that is the cause (transient), whatever the failed
   * query said ("Client has encountered a connection error and is not queryable").
   */
  failure(doing: string, error: unknown): ConnectorTransientError | ConnectorPermanentError {
    if (error instanceof ConnectorTransientError || error instanceof ConnectorPermanentError) return error;
    if (this.lost === undefined || error instanceof FieldNotCorrectable) {
      return toConnectorError(this.storeId, doing, error);
    }
    const mapped = toConnectorError(this.storeId, doing, this.lost);
    return mapped instanceof ConnectorTransientError
      ? mapped
      : new ConnectorTransientError(this.storeId, `${doing} failed: the connection broke`, {
          cause: this.lost,
        });
  }

  /** Back to the pool; after a failure, or a broken connection, the connection is closed instead. */
  release(failed: boolean): void {
    this.client.removeListener('error', this.onError);
    this.client.release(failed || this.broken);
  }
}

/** `PG_<CONNECTION>_URL`, the environment variable holding a connection's URL. */
export function connectionUrlVariable(connection: string): string {
  return `PG_${connection}_URL`;
}

/** `loyalty.members` → `"loyalty"."members"`. */
function quoteTable(table: string): string {
  return table
    .split('.')
    .map((part) => pg.escapeIdentifier(part))
    .join('.');
}

/**
 * Dates and instants as the text the erasure plan reads (`YYYY-MM-DD`,
 * ISO-8601 UTC), not JS Dates: a `date` parsed into a Date lands on the
 * process's local midnight and can shift a retention period by a day. A
 * `timestamp` without time zone is taken to be UTC.
 */
const TEXT_DATES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.DATE) return (value: string) => value;
    if (oid === pg.types.builtins.TIMESTAMPTZ) return (value: string) => new Date(value).toISOString();
    if (oid === pg.types.builtins.TIMESTAMP) {
      return (value: string) => new Date(`${value.replace(' ', 'T')}Z`).toISOString();
    }
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

interface TableLookup {
  readonly identifier: LookupIdentifier;
  readonly column: string;
}

/** One registry table with all its lookups and categories gathered (a table may be listed per identifier). */
interface TablePlan {
  readonly table: string;
  readonly quoted: string;
  readonly primaryKey: string;
  readonly lookups: readonly TableLookup[];
  readonly categories: readonly DataCategory[];
  /** The category an exported row is filed under: the first whole-record one, else the first. */
  readonly exportCategory: string;
}

type Row = Record<string, unknown>;

interface Selection {
  readonly where: string;
  readonly values: string[];
}

function tablePlans(store: PostgresStoreDefinition): TablePlan[] {
  const byTable = new Map<string, PostgresStoreDefinition['postgres']['tables'][number][]>();
  for (const entry of store.postgres.tables) {
    byTable.set(entry.table, [...(byTable.get(entry.table) ?? []), entry]);
  }
  return [...byTable].map(([table, entries]) => {
    const primaryKeys = new Set(entries.map((entry) => entry.primaryKey));
    const [primaryKey] = primaryKeys;
    if (primaryKey === undefined || primaryKeys.size > 1) {
      throw new ConnectorPermanentError(store.id, `${table} is listed with different primary keys`);
    }
    const categories = [...new Set(entries.map((entry) => entry.category))].map((id) => {
      const category = store.categories.find((candidate) => candidate.id === id);
      if (category === undefined) {
        throw new ConnectorPermanentError(store.id, `${table} names the unknown category ${id}`);
      }
      const changed = [
        ...(category.erasure.mode === 'retain' ? [] : (category.fields ?? [])),
        ...(category.erasure.mode === 'anonymise' ? category.erasure.fields : []),
      ];
      // A primary key rewritten loses the row's identity; a dotted path would need jsonb updates.
      const unusable = changed.find((field) => field === primaryKey || field.includes('.'));
      if (unusable !== undefined) {
        throw new ConnectorPermanentError(store.id, `category ${id} cannot change column ${unusable}`);
      }
      return category;
    });
    const wholeRecord = categories.find((category) => category.fields === undefined);
    return {
      table,
      quoted: quoteTable(table),
      primaryKey,
      lookups: entries.map(({ identifier, column }) => ({ identifier, column })),
      categories,
      exportCategory: (wholeRecord ?? categories[0])?.id ?? '',
    };
  });
}

/** `"email" = $1 OR "account_id" = $2` over the lookups the identity has a value for; undefined if none. */
function selection(plan: TablePlan, identity: SubjectIdentity): Selection | undefined {
  const conditions: string[] = [];
  const values: string[] = [];
  for (const { identifier, column } of plan.lookups) {
    const value = identity[identifier];
    if (value === undefined || value === '') continue;
    values.push(value);
    conditions.push(`${pg.escapeIdentifier(column)} = $${values.length}`);
  }
  return conditions.length === 0 ? undefined : { where: conditions.join(' OR '), values };
}

function withoutBookkeeping(row: Row): Row {
  const { [RESTRICTION_COLUMN]: _restriction, ...data } = row;
  return data;
}

function sameRestriction(stored: unknown, restriction: Restriction): boolean {
  if (typeof stored !== 'object' || stored === null) return false;
  const current = stored as Partial<Restriction>;
  return (
    current.requestId === restriction.requestId &&
    current.basis === restriction.basis &&
    current.until === restriction.until
  );
}

/**
 * A fresh salt for each call: salted hashes must not be recomputable later, and
 * idempotency does not need the same salt (a value already hashed is
 * recognised as masked and left alone).
 */
function maskingSecrets(context: ErasureContext): MaskingSecrets {
  return { hmacKey: context.hmacKey, salt: randomBytes(32).toString('base64url') };
}

/** What erasure does to one row, planned on its data columns (the restriction column is ours). */
function planRowErasure(plan: TablePlan, row: Row, context: ErasureContext): ErasurePlan {
  return planErasure({
    categories: plan.categories,
    record: withoutBookkeeping(row),
    requestId: context.requestId,
    now: context.now,
    secrets: maskingSecrets(context),
  });
}

/** Also equal when the driver returns a number as text (numeric, bigint). */
function columnHolds(stored: unknown, value: CorrectionValue): boolean {
  return holdsValue(stored, value) || (typeof value === 'number' && stored === String(value));
}

function emptyTally() {
  return { deleted: 0, anonymised: 0, retained: 0, remaining: 0, bases: new Set<string>() };
}

export class PostgresConnector implements Connector {
  private readonly tables: readonly TablePlan[];
  private pool: pg.Pool | undefined;
  private readonly columnsByTable = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(
    readonly store: PostgresStoreDefinition,
    private readonly options: PostgresConnectorOptions = {},
  ) {
    this.tables = tablePlans(store);
  }

  /** Closes the connection pool (tests, local stack shutdown; a Lambda keeps it for the next call). */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  async healthCheck(): Promise<void> {
    await this.withClient('health check', async (client) => {
      for (const plan of this.tables) {
        const { rows } = await client.query<{ found: boolean }>(
          'SELECT to_regclass($1) IS NOT NULL AS found',
          [plan.table],
        );
        if (!rows[0]?.found)
          throw new ConnectorPermanentError(this.store.id, `table ${plan.table} is missing`);
      }
    });
  }

  async find(identity: SubjectIdentity): Promise<{ count: number; resolved: SubjectIdentity }> {
    const resolvable = new Set(this.store.resolves ?? []);
    const { count, found } = await this.withClient('find', async (client) => {
      let count = 0;
      // Every value of each resolved kind, not the first row's: two accounts behind one verified
      // email must be refused (singleResolved), not settled by whichever row PostgreSQL returns first.
      const found = new Map<LookupIdentifier, Set<string>>();
      for (const plan of this.tables) {
        const chosen = selection(plan, identity);
        if (chosen === undefined) continue;
        const resolving = plan.lookups.filter((lookup) => resolvable.has(lookup.identifier));
        const columns = [plan.primaryKey, ...resolving.map((lookup) => lookup.column)];
        const { rows } = await client.query<Row>(
          `SELECT ${[...new Set(columns)].map((column) => pg.escapeIdentifier(column)).join(', ')}
             FROM ${plan.quoted} WHERE ${chosen.where}`,
          chosen.values,
        );
        count += rows.length;
        for (const row of rows) {
          for (const { identifier, column } of resolving) {
            const value = row[column];
            if (typeof value === 'string' && value !== '') {
              found.set(identifier, (found.get(identifier) ?? new Set()).add(value));
            }
          }
        }
      }
      return { count, found };
    });
    return { count, resolved: singleResolved(this.store.id, found) };
  }

  async *export(identity: SubjectIdentity): AsyncIterable<ExportedRecord> {
    for (const plan of this.tables) {
      const chosen = selection(plan, identity);
      if (chosen === undefined) continue;
      yield* this.exportTable(plan, chosen);
    }
  }

  private async *exportTable(plan: TablePlan, chosen: Selection): AsyncIterable<ExportedRecord> {
    const lease = await this.connect('export');
    const { client } = lease;
    let threw = false;
    const failed = (error: unknown) => {
      threw = true;
      return lease.failure(`export of ${plan.table}`, error);
    };
    let open = false;
    try {
      try {
        await client.query('BEGIN READ ONLY');
        open = true;
        await client.query(
          `DECLARE subject_rows NO SCROLL CURSOR FOR
             SELECT * FROM ${plan.quoted} WHERE ${chosen.where} ORDER BY ${pg.escapeIdentifier(plan.primaryKey)}`,
          chosen.values,
        );
      } catch (error) {
        throw failed(error);
      }
      for (;;) {
        let rows: Row[];
        try {
          rows = (await client.query<Row>(`FETCH ${FETCH_SIZE} FROM subject_rows`)).rows;
        } catch (error) {
          throw failed(error);
        }
        for (const row of rows) {
          yield {
            storeId: this.store.id,
            category: plan.exportCategory,
            recordKey: `${plan.table}#${String(row[plan.primaryKey])}`,
            data: withoutBookkeeping(row),
          };
        }
        if (rows.length < FETCH_SIZE) break;
      }
      await client.query('COMMIT').catch((error: unknown) => {
        throw failed(error);
      });
      open = false;
    } finally {
      // Also reached when the consumer stops early: the cursor dies with the transaction.
      // After a failure the connection may be broken or owe an answer: it is closed, not reused.
      let reusable = !threw && !lease.broken;
      if (reusable && open)
        reusable = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
      lease.release(!reusable);
    }
  }

  async erase(identity: SubjectIdentity, context: ErasureContext): Promise<ErasureOutcome> {
    const tally = emptyTally();
    await this.withClient('erase', async (client) => {
      await client.query('BEGIN');
      try {
        for (const plan of this.tables) {
          const chosen = selection(plan, identity);
          if (chosen === undefined) continue;
          const flagged = (await this.columnsOf(client, plan.table)).has(RESTRICTION_COLUMN);
          const { rows } = await client.query<Row>(
            `SELECT * FROM ${plan.quoted} WHERE ${chosen.where}
               ORDER BY ${pg.escapeIdentifier(plan.primaryKey)} FOR UPDATE`,
            chosen.values,
          );
          for (const row of rows) await this.eraseRow(client, plan, row, flagged, context, tally);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    });
    return {
      deleted: tally.deleted,
      anonymised: tally.anonymised,
      retained: tally.retained,
      retainedBases: [...tally.bases],
    };
  }

  private async eraseRow(
    client: pg.PoolClient,
    plan: TablePlan,
    row: Row,
    flagged: boolean,
    context: ErasureContext,
    tally: ReturnType<typeof emptyTally>,
  ): Promise<void> {
    const erasure = planRowErasure(plan, row, context);
    const key = row[plan.primaryKey];
    const pk = pg.escapeIdentifier(plan.primaryKey);
    switch (erasure.action) {
      case 'delete':
        await client.query(`DELETE FROM ${plan.quoted} WHERE ${pk} = $1`, [key]);
        tally.deleted++;
        return;
      case 'none':
        return;
      case 'update':
      case 'keep': {
        const assignments: [string, unknown][] =
          erasure.action === 'update'
            ? [
                ...Object.entries(erasure.set),
                ...erasure.remove.map((column): [string, unknown] => [column, null]),
              ]
            : [];
        const restricted = erasure.restricted;
        if (restricted !== undefined) {
          tally.retained++;
          for (const basis of restricted.basis.split('; ')) tally.bases.add(basis);
          if (flagged && !sameRestriction(row[RESTRICTION_COLUMN], restricted)) {
            assignments.push([RESTRICTION_COLUMN, JSON.stringify(restricted)]);
          }
        }
        if (erasure.action === 'update') tally.anonymised++;
        if (assignments.length === 0) return;
        const set = assignments.map(([column], i) => `${pg.escapeIdentifier(column)} = $${i + 1}`).join(', ');
        await client.query(`UPDATE ${plan.quoted} SET ${set} WHERE ${pk} = $${assignments.length + 1}`, [
          ...assignments.map(([, value]) => value),
          key,
        ]);
        return;
      }
    }
  }

  async correct(identity: SubjectIdentity, changes: readonly FieldChange[]): Promise<CorrectionOutcome> {
    assertCorrectable(this.store, changes);
    const records: CorrectedField[] = [];
    try {
      await this.withClient('correction', async (client) => {
        await client.query('BEGIN');
        try {
          for (const plan of this.tables) {
            const own = changes.filter((change) =>
              plan.categories.some((category) => category.id === change.category),
            );
            const chosen = selection(plan, identity);
            if (own.length === 0 || chosen === undefined) continue;
            const columns = await this.columnsOf(client, plan.table);
            const missing = own.find((change) => !columns.has(change.field));
            if (missing !== undefined) {
              throw new FieldNotCorrectable(this.store.id, `${plan.table} has no column ${missing.field}`);
            }
            const { rows } = await client.query<Row>(
              `SELECT * FROM ${plan.quoted} WHERE ${chosen.where}
                 ORDER BY ${pg.escapeIdentifier(plan.primaryKey)} FOR UPDATE`,
              chosen.values,
            );
            for (const row of rows) records.push(...(await this.correctRow(client, plan, row, own)));
          }
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      });
    } catch (error) {
      // withClient files every failure as a connector error; a refused field keeps its own name.
      if (error instanceof Error && error.cause instanceof FieldNotCorrectable) throw error.cause;
      throw error;
    }
    return { status: 'applied', records };
  }

  private async correctRow(
    client: pg.PoolClient,
    plan: TablePlan,
    row: Row,
    changes: readonly FieldChange[],
  ): Promise<CorrectedField[]> {
    const key = row[plan.primaryKey];
    const fields = changes.map((change) => ({
      recordKey: `${plan.table}#${String(key)}`,
      category: change.category,
      field: change.field,
      before: row[change.field],
      after: change.value,
      changed: !columnHolds(row[change.field], change.value),
    }));
    const assignments = fields.filter((field) => field.changed);
    if (assignments.length > 0) {
      const set = assignments.map(({ field }, i) => `${pg.escapeIdentifier(field)} = $${i + 1}`).join(', ');
      await client.query(
        `UPDATE ${plan.quoted} SET ${set} WHERE ${pg.escapeIdentifier(plan.primaryKey)} = $${assignments.length + 1}`,
        [...assignments.map(({ after }) => after), key],
      );
    }
    return fields;
  }

  async verifyErasure(identity: SubjectIdentity, context: ErasureContext): Promise<RemainingData> {
    const tally = emptyTally();
    await this.withClient('verification', async (client) => {
      for (const plan of this.tables) {
        const chosen = selection(plan, identity);
        if (chosen === undefined) continue;
        const flagged = (await this.columnsOf(client, plan.table)).has(RESTRICTION_COLUMN);
        const { rows } = await client.query<Row>(
          `SELECT * FROM ${plan.quoted} WHERE ${chosen.where}`,
          chosen.values,
        );
        for (const row of rows) {
          const erasure = planRowErasure(plan, row, context);
          if (erasure.action === 'none') {
            tally.anonymised++;
          } else if (erasure.action === 'keep' && (!flagged || row[RESTRICTION_COLUMN] != null)) {
            tally.retained++;
            for (const basis of erasure.restricted.basis.split('; ')) tally.bases.add(basis);
          } else {
            // Still to delete or anonymise, or kept without the restriction the table can record.
            tally.remaining++;
          }
        }
      }
    });
    return {
      remaining: tally.remaining,
      anonymised: tally.anonymised,
      retained: tally.retained,
      retainedBases: [...tally.bases],
    };
  }

  private async connectionString(): Promise<string> {
    if (this.options.connectionString !== undefined) return this.options.connectionString;
    if (this.options.readConnectionString !== undefined) return this.options.readConnectionString();
    const variable = connectionUrlVariable(this.store.postgres.connection);
    const url = (this.options.env ?? process.env)[variable];
    if (url === undefined || url === '') {
      throw new ConnectorPermanentError(this.store.id, `${variable} is not set`);
    }
    return url;
  }

  private async poolOf(): Promise<pg.Pool> {
    if (this.pool === undefined) {
      const connectionString = await this.connectionString();
      // Another caller may have made the pool while the secret was being read.
      if (this.pool !== undefined) return this.pool;
      const statementTimeoutMs = this.options.statementTimeoutMs ?? 30_000;
      const pool = new pg.Pool({
        connectionString,
        connectionTimeoutMillis: this.options.connectionTimeoutMs ?? 5_000,
        statement_timeout: statementTimeoutMs,
        query_timeout: this.options.queryTimeoutMs ?? statementTimeoutMs + 5_000,
        max: this.options.maxConnections ?? 4,
        types: TEXT_DATES,
      });
      // An idle client losing its connection must not crash the process; the pool drops it and the
      // next query connects afresh. Checked-out clients are listened to by their Lease.
      pool.on('error', () => {});
      this.pool = pool;
    }
    return this.pool;
  }

  private async connect(doing: string): Promise<Lease> {
    try {
      return new Lease(this.store.id, await (await this.poolOf()).connect());
    } catch (error) {
      throw toConnectorError(this.store.id, doing, error);
    }
  }

  private async withClient<T>(doing: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const lease = await this.connect(doing);
    let failed = false;
    try {
      return await work(lease.client);
    } catch (error) {
      failed = true;
      throw lease.failure(doing, error);
    } finally {
      // After a failure the connection may be broken or mid-transaction: it is closed, not reused.
      lease.release(failed);
    }
  }

  private columnsOf(client: pg.PoolClient, table: string): Promise<ReadonlySet<string>> {
    let columns = this.columnsByTable.get(table);
    if (columns === undefined) {
      columns = client
        .query<{ attname: string }>(
          `SELECT attname FROM pg_attribute
            WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
          [table],
        )
        .then(({ rows }) => new Set(rows.map((row) => row.attname)));
      this.columnsByTable.set(table, columns);
      columns.catch(() => this.columnsByTable.delete(table));
    }
    return columns;
  }
}
