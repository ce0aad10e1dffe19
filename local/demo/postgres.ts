/**
 * The demo organisation's loyalty programme, kept in PostgreSQL: members and
 * their point events. It is the relational store of local mode, so that
 * fulfilment exercises the postgres connector (lookups by account id and by
 * email, deletion, anonymisation, retention under a restriction flag).
 *
 * The people are the demo organisation's (local/demo/organisation.ts) plus
 * one loyalty-only member who never opened a shop account, so a lookup that
 * strays beyond the given identifiers shows up. Every person is fictional.
 */
import pg from 'pg';
import { RESTRICTION_COLUMN } from '../../connectors/postgres/postgres-connector';
import { DEMO_PEOPLE } from './organisation';

export interface LoyaltyPerson {
  readonly accountId: string;
  readonly email: string;
  readonly phone: string;
}

/** Signed up at a shop counter, never opened an online account: only in the loyalty store. */
export const LOYALTY_ONLY_PERSON: LoyaltyPerson = {
  accountId: 'u-2001',
  email: 'wang.fang@example.net',
  phone: '+8613900139001',
};

export const DEMO_LOYALTY_PEOPLE: readonly LoyaltyPerson[] = [...DEMO_PEOPLE, LOYALTY_ONLY_PERSON];

const SCHEMA_SQL = `
  CREATE SCHEMA loyalty;
  CREATE TABLE loyalty.members (
    member_id text PRIMARY KEY,
    account_id text NOT NULL,
    email text,
    phone text,
    tier text NOT NULL,
    points integer NOT NULL,
    joined_on date NOT NULL
  );
  CREATE INDEX members_account_id ON loyalty.members (account_id);
  CREATE INDEX members_email ON loyalty.members (email);
  CREATE TABLE loyalty.point_events (
    id text PRIMARY KEY,
    account_id text NOT NULL,
    kind text NOT NULL,
    points integer NOT NULL,
    occurred_at timestamptz NOT NULL,
    -- Kept rows are marked here (PIPL art. 47: stored, not otherwise processed); see the postgres connector.
    ${RESTRICTION_COLUMN} jsonb
  );
  CREATE INDEX point_events_account_id ON loyalty.point_events (account_id);
  CREATE TABLE loyalty.reward_deliveries (
    id text PRIMARY KEY,
    account_id text NOT NULL,
    reward text NOT NULL,
    recipient_name text,
    delivery_address text,
    delivered_on date NOT NULL
  );
  CREATE INDEX reward_deliveries_account_id ON loyalty.reward_deliveries (account_id);
`;

const TIERS = ['silver', 'gold', 'platinum'] as const;

export interface LoyaltyRows {
  readonly member: readonly unknown[];
  readonly pointEvents: readonly (readonly unknown[])[];
  readonly rewardDeliveries: readonly (readonly unknown[])[];
}

/** The seeded rows of one person, in column order; deterministic, so a reseed restores them exactly. */
export function loyaltyRowsOf(person: LoyaltyPerson, index: number): LoyaltyRows {
  const number = person.accountId.slice(2);
  const pointEvents = Array.from({ length: 3 + index }, (_, i) => [
    `pe-${number}-${i + 1}`,
    person.accountId,
    i % 3 === 2 ? 'redeem' : 'earn',
    i % 3 === 2 ? -200 : 100 + i * 10,
    // One event a year back from 2025: older events fall outside a three-year retention.
    `${2025 - i}-06-0${(i % 9) + 1}T09:30:00Z`,
  ]);
  const rewardDeliveries = Array.from({ length: 1 + (index % 2) }, (_, i) => [
    `rd-${number}-${i + 1}`,
    person.accountId,
    i ? 'Tote bag' : 'Coffee voucher',
    `Member ${number}`,
    `${number} Example Road, Unit ${i + 1}`,
    `2025-0${i + 3}-15`,
  ]);
  return {
    member: [
      `m-${number}`,
      person.accountId,
      person.email,
      person.phone,
      TIERS[index % TIERS.length],
      1200 + index * 300,
      `202${index}-0${index + 1}-1${index}`,
    ],
    pointEvents,
    rewardDeliveries,
  };
}

/** Inserts one person's seeded rows (which must not exist yet). */
export async function insertLoyaltyRows(client: pg.ClientBase, rows: LoyaltyRows): Promise<void> {
  await client.query(
    `INSERT INTO loyalty.members (member_id, account_id, email, phone, tier, points, joined_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [...rows.member],
  );
  for (const event of rows.pointEvents) {
    await client.query(
      `INSERT INTO loyalty.point_events (id, account_id, kind, points, occurred_at) VALUES ($1, $2, $3, $4, $5)`,
      [...event],
    );
  }
  for (const delivery of rows.rewardDeliveries) {
    await client.query(
      `INSERT INTO loyalty.reward_deliveries (id, account_id, reward, recipient_name, delivery_address, delivered_on)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [...delivery],
    );
  }
}

/**
 * Creates the loyalty schema and fills it, once: if the schema already exists
 * (state persisted under .local/), the data is left as it is, so demo
 * deletions stay deleted across restarts. One transaction, so a failed seed
 * leaves nothing half-made for the next start to skip.
 */
export async function seedDemoPostgres(url: string): Promise<{ seeded: boolean }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Two local stacks starting at once must not both create the schema.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['dsar-demo-loyalty-seed']);
    const { rows } = await client.query<{ exists: boolean }>(
      `SELECT to_regnamespace('loyalty') IS NOT NULL AS exists`,
    );
    if (rows[0]?.exists) {
      await client.query('ROLLBACK');
      return { seeded: false };
    }
    await client.query(SCHEMA_SQL);
    for (const [index, person] of DEMO_LOYALTY_PEOPLE.entries()) {
      await insertLoyaltyRows(client, loyaltyRowsOf(person, index));
    }
    await client.query('COMMIT');
    return { seeded: true };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
