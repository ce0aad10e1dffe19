import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ConnectorTransientError,
  type ExportedRecord,
  type SubjectIdentity,
} from '../../connectors/contract';
import { createConnector } from '../../connectors/factory';
import {
  PostgresConnector,
  type PostgresStoreDefinition,
  RESTRICTION_COLUMN,
} from '../../connectors/postgres/postgres-connector';
import { storeById } from '../../domain/stores/registry';
import {
  DEMO_LOYALTY_PEOPLE,
  insertLoyaltyRows,
  type LoyaltyPerson,
  loyaltyRowsOf,
  seedDemoPostgres,
} from '../../local/demo/postgres';
import { loadDemoRegistry } from '../../local/demo/registry';
import { findFreePort } from '../../local/ports';
import { type LocalPostgres, startPostgres } from '../../local/postgres';
import { describeConnectorConformance } from './suite';
import { POSTGRES_TOO_MANY_CLIENTS, startFaultProxy } from './support/fault-proxy';

const LOYALTY = storeById(loadDemoRegistry(), 'loyalty') as PostgresStoreDefinition;
const TABLES = ['loyalty.members', 'loyalty.point_events', 'loyalty.reward_deliveries'] as const;
/** Judged at this instant, the 2022 point event is past its three-year retention; the later ones are not. */
const NOW = '2026-06-01T00:00:00.000Z';

const [LI_LEI, HAN_MEIMEI] = DEMO_LOYALTY_PEOPLE as [LoyaltyPerson, LoyaltyPerson, ...LoyaltyPerson[]];

function identityOf(person: LoyaltyPerson): SubjectIdentity {
  return { accountId: person.accountId, email: person.email };
}

/** Puts the given people's rows back to their seeded state, in one transaction. */
async function reseed(url: string, people: readonly LoyaltyPerson[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const person of people) {
      for (const table of TABLES)
        await client.query(`DELETE FROM ${table} WHERE account_id = $1`, [person.accountId]);
      await insertLoyaltyRows(client, loyaltyRowsOf(person, DEMO_LOYALTY_PEOPLE.indexOf(person)));
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

/** One statement on a connection of its own, past the connector. */
async function adminQuery(url: string, sql: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql, values);
  } finally {
    await client.end();
  }
}

/** The subject's rows as PostgreSQL serialises them (json_agg in primary-key order), read past the connector. */
async function readRaw(url: string, identity: SubjectIdentity): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const parts: string[] = [];
    for (const [table, key] of [
      ['loyalty.members', 'member_id'],
      ['loyalty.point_events', 'id'],
      ['loyalty.reward_deliveries', 'id'],
    ] as const) {
      const { rows } = await client.query<{ rows: string }>(
        `SELECT coalesce(json_agg(t ORDER BY ${key}), '[]')::text AS rows FROM ${table} t WHERE account_id = $1`,
        [identity.accountId],
      );
      parts.push(`${table}=${rows[0]?.rows}`);
    }
    return parts.join('\n');
  } finally {
    await client.end();
  }
}

async function collect(records: AsyncIterable<ExportedRecord>): Promise<ExportedRecord[]> {
  const all: ExportedRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
}

async function startLoyaltyDatabase(): Promise<{ postgres: LocalPostgres; stateDir: string }> {
  const stateDir = await mkdtemp(join(tmpdir(), 'dsar-conformance-postgres-'));
  const postgres = await startPostgres({ stateDir });
  await seedDemoPostgres(postgres.url);
  return { postgres, stateDir };
}

describeConnectorConformance('postgres', async () => {
  const { postgres, stateDir } = await startLoyaltyDatabase();
  const connector = new PostgresConnector(LOYALTY, { env: { PG_LOYALTY_URL: postgres.url } });
  const closedPort = await findFreePort();
  const unreachable: PostgresConnector[] = [];
  const proxy = await startFaultProxy(postgres.port);
  const throughProxy = new PostgresConnector(LOYALTY, {
    connectionString: `postgres://dsar@127.0.0.1:${proxy.port}/dsar_demo`,
    connectionTimeoutMs: 1_000,
    queryTimeoutMs: 1_000,
  });
  return {
    connector,
    // Han Meimei has a point event from 2022, so one ledger row is past its retention at NOW.
    subject: identityOf(HAN_MEIMEI),
    otherSubject: identityOf(LI_LEI),
    now: NOW,
    reseed: () => reseed(postgres.url, [HAN_MEIMEI, LI_LEI]),
    readRaw: (identity) => readRaw(postgres.url, identity),
    expected: {
      found: 7,
      resolved: { accountId: HAN_MEIMEI.accountId },
      exported: 7,
      erased: { deleted: 2, anonymised: 2, retained: 3 },
      afterErasure: { anonymised: 2, retained: 3, retainedBases: ['PRC E-Commerce Law art. 31'] },
    },
    correction: {
      changes: [
        { category: 'reward-deliveries', field: 'delivery_address', value: '8 West Lake Road, Hangzhou' },
        { category: 'reward-deliveries', field: 'recipient_name', value: 'Han Meimei' },
      ],
      // Two reward deliveries, two columns each.
      changed: 4,
      notAllowed: { category: 'loyalty-membership', field: 'tier', value: 'platinum' },
    },
    unreachableConnector: () => {
      const connector = new PostgresConnector(LOYALTY, {
        connectionString: `postgres://dsar@127.0.0.1:${closedPort}/dsar_demo`,
        connectionTimeoutMs: 1_000,
      });
      unreachable.push(connector);
      return connector;
    },
    ambiguity: {
      // A second member (another account) registered with Han Meimei's email.
      add: async () => {
        await adminQuery(
          postgres.url,
          `INSERT INTO loyalty.members (member_id, account_id, email, phone, tier, points, joined_on)
           VALUES ('m-ambiguous', 'u-ambiguous', $1, NULL, 'silver', 0, '2024-01-01')`,
          [HAN_MEIMEI.email],
        );
        return { email: HAN_MEIMEI.email };
      },
      remove: () => adminQuery(postgres.url, `DELETE FROM loyalty.members WHERE member_id = 'm-ambiguous'`),
    },
    faults: {
      connector: throughProxy,
      proxy,
      // One connection attempt (1 s) or one statement (1 s), with room for the test machine.
      deadlineMs: 2_500,
      throttled: POSTGRES_TOO_MANY_CLIENTS,
    },
    teardown: async () => {
      await connector.close();
      await throughProxy.close();
      await proxy.close();
      await Promise.all(unreachable.map((connector) => connector.close()));
      await postgres.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
});

describe('postgres connector', () => {
  let postgres: LocalPostgres;
  let stateDir: string;
  let connector: PostgresConnector;
  let admin: pg.Client;
  const context = { requestId: 'req-postgres-1', hmacKey: 'test-hmac-key', now: NOW };

  beforeAll(async () => {
    ({ postgres, stateDir } = await startLoyaltyDatabase());
    connector = new PostgresConnector(LOYALTY, { connectionString: postgres.url });
    admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await connector?.close();
    await postgres?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await reseed(postgres.url, [HAN_MEIMEI, LI_LEI]);
  });

  it('finds a member by email alone and resolves the account id for the stores after it', async () => {
    const { count, resolved } = await connector.find({ email: HAN_MEIMEI.email });
    expect(count).toBe(1);
    expect(resolved).toEqual({ accountId: HAN_MEIMEI.accountId });
  });

  it.each([["' OR '1'='1"], ['u-1002; DROP TABLE loyalty.members; --'], ['u-100%']])(
    'treats the identifier %j as a value, never as SQL',
    async (value) => {
      expect((await connector.find({ accountId: value, email: value })).count).toBe(0);
      expect((await connector.find(identityOf(HAN_MEIMEI))).count).toBe(7);
    },
  );

  it('exports dates as plain dates and instants as ISO-8601 UTC, without the restriction column', async () => {
    const records = await collect(connector.export(identityOf(HAN_MEIMEI)));
    const member = records.find((record) => record.recordKey === 'loyalty.members#m-1002');
    expect(member).toMatchObject({ category: 'loyalty-membership', data: { joined_on: '2021-02-11' } });
    const event = records.find((record) => record.recordKey === 'loyalty.point_events#pe-1002-1');
    expect(event).toMatchObject({
      category: 'points-ledger',
      data: { occurred_at: '2025-06-01T09:30:00.000Z' },
    });
    expect(Object.keys(event?.data ?? {})).not.toContain(RESTRICTION_COLUMN);
  });

  it('streams more rows than one cursor fetch, and releases its connection when the reader stops early', async () => {
    await admin.query(
      `INSERT INTO loyalty.point_events (id, account_id, kind, points, occurred_at)
       SELECT 'bulk-' || g, $1, 'earn', g, '2025-01-01T00:00:00Z' FROM generate_series(1, 450) g`,
      [HAN_MEIMEI.accountId],
    );
    expect(await collect(connector.export({ accountId: HAN_MEIMEI.accountId }))).toHaveLength(457);
    // More early stops than the pool has connections: each must give its connection back.
    for (let i = 0; i < 6; i++) {
      for await (const _record of connector.export({ accountId: HAN_MEIMEI.accountId })) break;
    }
    expect((await connector.find({ accountId: HAN_MEIMEI.accountId })).count).toBe(457);
  });

  it('marks each kept row with the request, the legal basis and the end of its retention period', async () => {
    await connector.erase(identityOf(HAN_MEIMEI), context);
    const { rows } = await admin.query<{ id: string; restriction: unknown }>(
      `SELECT id, ${RESTRICTION_COLUMN} AS restriction FROM loyalty.point_events WHERE account_id = $1 ORDER BY id`,
      [HAN_MEIMEI.accountId],
    );
    expect(rows).toEqual([
      {
        id: 'pe-1002-1',
        restriction: {
          requestId: 'req-postgres-1',
          basis: 'PRC E-Commerce Law art. 31',
          until: '2028-06-01',
        },
      },
      {
        id: 'pe-1002-2',
        restriction: {
          requestId: 'req-postgres-1',
          basis: 'PRC E-Commerce Law art. 31',
          until: '2027-06-02',
        },
      },
      {
        id: 'pe-1002-3',
        restriction: {
          requestId: 'req-postgres-1',
          basis: 'PRC E-Commerce Law art. 31',
          until: '2026-06-03',
        },
      },
    ]);
  });

  it('reports a kept row whose restriction was cleared as remaining', async () => {
    await connector.erase(identityOf(HAN_MEIMEI), context);
    await admin.query(`UPDATE loyalty.point_events SET ${RESTRICTION_COLUMN} = NULL WHERE id = 'pe-1002-1'`);
    expect(await connector.verifyErasure(identityOf(HAN_MEIMEI), context)).toMatchObject({
      remaining: 1,
      retained: 2,
    });
  });

  describe('when a statement fails part-way through an erasure', () => {
    afterAll(async () => {
      await admin.query('DROP TRIGGER IF EXISTS fail_update ON loyalty.reward_deliveries');
      await admin.query('DROP FUNCTION IF EXISTS loyalty.fail_update()');
    });

    it.each([
      ['P0001', 'ConnectorPermanentError'],
      ['40001', 'ConnectorTransientError'],
      ['40P01', 'ConnectorTransientError'],
    ])('rolls back every table when SQLSTATE %s is raised, as a %s', async (sqlstate, errorName) => {
      // Fault injection: the last table's UPDATE fails after the earlier tables' DELETEs have run.
      await admin.query(
        `CREATE OR REPLACE FUNCTION loyalty.fail_update() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'injected failure' USING ERRCODE = '${sqlstate}'; END $$`,
      );
      await admin.query('DROP TRIGGER IF EXISTS fail_update ON loyalty.reward_deliveries');
      await admin.query(
        'CREATE TRIGGER fail_update BEFORE UPDATE ON loyalty.reward_deliveries FOR EACH ROW EXECUTE FUNCTION loyalty.fail_update()',
      );
      const before = await readRaw(postgres.url, HAN_MEIMEI);
      const erasure = connector.erase(identityOf(HAN_MEIMEI), context);
      await expect(erasure).rejects.toMatchObject({ name: errorName, storeId: 'loyalty' });
      expect(await readRaw(postgres.url, HAN_MEIMEI)).toBe(before);
      await admin.query('DROP TRIGGER fail_update ON loyalty.reward_deliveries');
    });
  });

  describe('when PostgreSQL terminates the connection (57P01)', () => {
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);

    beforeEach(() => {
      uncaught.length = 0;
      process.on('uncaughtException', record);
    });

    afterEach(() => {
      process.off('uncaughtException', record);
    });

    /** The pid of the one backend matching `condition` in pg_stat_activity, once there is one. */
    async function backendWhere(condition: string): Promise<number> {
      for (let attempt = 0; attempt < 200; attempt++) {
        const { rows } = await admin.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database() AND ${condition}`,
        );
        if (rows.length === 1 && rows[0] !== undefined) return rows[0].pid;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const { rows } = await admin.query(
        'SELECT pid, state, wait_event_type, left(query, 60) AS query FROM pg_stat_activity WHERE datname = current_database()',
      );
      throw new Error(`no single backend where ${condition}: ${JSON.stringify(rows)}`);
    }

    /** Lets the broken socket's events run: an unlistened 'error' would surface here. */
    const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

    it('fails an erasure whose backend is terminated mid-transaction with a ConnectorTransientError, commits nothing, keeps the process alive, and erases fully on retry', async () => {
      const before = await readRaw(postgres.url, identityOf(HAN_MEIMEI));
      // Holds a lock the erasure will wait for, so that it is terminated inside its transaction. Another
      // connection than admin's: inside a transaction pg_stat_activity would keep showing its first snapshot.
      const locker = new pg.Client({ connectionString: postgres.url });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM loyalty.members WHERE account_id = $1 FOR UPDATE', [
        HAN_MEIMEI.accountId,
      ]);
      const erasing = connector.erase(identityOf(HAN_MEIMEI), context).then(
        () => undefined,
        (error: unknown) => error,
      );
      try {
        const pid = await backendWhere(`wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'`);
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      } finally {
        await locker.end();
      }
      const error = await erasing;
      expect(error).toBeInstanceOf(ConnectorTransientError);
      expect(error).toMatchObject({ name: 'ConnectorTransientError', storeId: 'loyalty' });
      await settle();
      expect(uncaught).toEqual([]);
      expect(await readRaw(postgres.url, identityOf(HAN_MEIMEI))).toBe(before);
      expect(await connector.erase(identityOf(HAN_MEIMEI), context)).toMatchObject({
        deleted: 2,
        anonymised: 2,
        retained: 3,
      });
      expect((await connector.verifyErasure(identityOf(HAN_MEIMEI), context)).remaining).toBe(0);
    });

    it('keeps the process alive when the backend of an export is terminated while the reader holds it between records, and reports the export transient', async () => {
      const records = connector.export(identityOf(HAN_MEIMEI))[Symbol.asyncIterator]();
      expect((await records.next()).done).toBe(false);
      const pid = await backendWhere(`state = 'idle in transaction' AND query LIKE 'FETCH%'`);
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // No query is running now: pg can only report the broken connection as an 'error' event.
      await settle();
      expect(uncaught).toEqual([]);
      const drained = (async () => {
        for (let next = await records.next(); !next.done; next = await records.next());
      })();
      await expect(drained).rejects.toMatchObject({ name: 'ConnectorTransientError', storeId: 'loyalty' });
      expect(await collect(connector.export(identityOf(HAN_MEIMEI)))).toHaveLength(7);
    });
  });

  it('is made by the connector factory with its URL from PG_LOYALTY_URL', async () => {
    const made = createConnector(LOYALTY, { env: { PG_LOYALTY_URL: postgres.url } });
    try {
      expect(await made.find(identityOf(HAN_MEIMEI))).toMatchObject({ count: 7 });
    } finally {
      await (made as PostgresConnector).close();
    }
  });

  it('is made by the connector factory with its URL from the connectionSecret the registry names', async () => {
    const store = {
      ...LOYALTY,
      postgres: { ...LOYALTY.postgres, connectionSecret: { name: 'dsar/loyalty-db' } },
    };
    const asked: string[] = [];
    const made = createConnector(store, {
      env: {},
      readSecret: async (secretId) => {
        asked.push(secretId);
        return postgres.url;
      },
    });
    try {
      expect(await made.find(identityOf(HAN_MEIMEI))).toMatchObject({ count: 7 });
      expect(asked).toEqual(['dsar/loyalty-db']);
    } finally {
      await (made as PostgresConnector).close();
    }
  });

  it('reports the missing connection variable by name, as a permanent error', async () => {
    const unconfigured = new PostgresConnector(LOYALTY, { env: {} });
    await expect(unconfigured.healthCheck()).rejects.toMatchObject({
      name: 'ConnectorPermanentError',
      message: expect.stringContaining('PG_LOYALTY_URL'),
    });
  });

  it('fails its health check, permanently, when a listed table does not exist', async () => {
    const store: PostgresStoreDefinition = {
      ...LOYALTY,
      postgres: {
        ...LOYALTY.postgres,
        tables: [{ ...LOYALTY.postgres.tables[0]!, table: 'loyalty.no_such_table' }],
      },
    };
    const missing = new PostgresConnector(store, { connectionString: postgres.url });
    try {
      await expect(missing.healthCheck()).rejects.toMatchObject({ name: 'ConnectorPermanentError' });
    } finally {
      await missing.close();
    }
  });

  it.each([
    ['the primary key', ['member_id']],
    ['a nested path', ['profile.name']],
  ])('refuses a registry whose anonymisation would rewrite %s', (_what, fields) => {
    const store: PostgresStoreDefinition = {
      ...LOYALTY,
      categories: LOYALTY.categories.map((category) =>
        category.id === 'loyalty-membership'
          ? { ...category, erasure: { mode: 'anonymise', fields, strategy: 'null' } }
          : category,
      ),
    };
    expect(() => new PostgresConnector(store)).toThrow(/cannot change column/);
  });
});
