import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE } from '../../../local/demo/organisation';
import { DEMO_LOYALTY_PEOPLE, LOYALTY_ONLY_PERSON, seedDemoPostgres } from '../../../local/demo/postgres';
import { type LocalPostgres, startPostgres } from '../../../local/postgres';

describe('demo loyalty database', () => {
  let stateDir: string;
  let postgres: LocalPostgres;
  let client: pg.Client;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-postgres-demo-'));
    postgres = await startPostgres({ stateDir });
    client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await postgres?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('seeds once even when two local stacks start together, then leaves demo deletions deleted', async () => {
    const results = await Promise.all([seedDemoPostgres(postgres.url), seedDemoPostgres(postgres.url)]);
    expect(results.map((result) => result.seeded).sort()).toEqual([false, true]);

    await client.query('DELETE FROM loyalty.members WHERE account_id = $1', [LOYALTY_ONLY_PERSON.accountId]);
    expect(await seedDemoPostgres(postgres.url)).toEqual({ seeded: false });
    const { rows } = await client.query<{ account_id: string }>(
      'SELECT account_id FROM loyalty.members ORDER BY account_id',
    );
    expect(rows.map((row) => row.account_id)).toEqual(DEMO_PEOPLE.map((person) => person.accountId));
  });

  it('holds rows for every demo person and the loyalty-only member', async () => {
    const { rows } = await client.query<{ account_id: string; events: number }>(
      `SELECT account_id, count(*)::int AS events FROM loyalty.point_events GROUP BY account_id ORDER BY account_id`,
    );
    expect(rows.map((row) => row.account_id)).toEqual(DEMO_LOYALTY_PEOPLE.map((person) => person.accountId));
    expect(rows.every((row) => row.events >= 3)).toBe(true);
  });
});
