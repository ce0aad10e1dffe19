/**
 * A correction applied through the console against the running local
 * pipeline: a verified correction request for a demo customer changes that
 * customer's delivery address in the DynamoDB orders table and the PostgreSQL
 * loyalty database, and nothing else; the timeline shows the before and after
 * masked. The customer is added to the demo stores by this file alone, so no
 * other test's demo people are touched (the deletion test compares theirs).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../domain/audit';
import { DEMO_PEOPLE, DEMO_STORES } from '../../../local/demo/organisation';
import { insertLoyaltyRows, loyaltyRowsOf } from '../../../local/demo/postgres';
import { localDynamoDbClient } from '../../../local/dynamodb';
import { CONSOLE, createdId, detail, post, stack, tokenFor, uniqueEmail, waitForMail } from './support';

const OLD_ADDRESS = `上海 示例路 ${randomUUID().slice(0, 6)} 号`;
const NEW_ADDRESS = `杭州 西湖路 ${randomUUID().slice(0, 6)} 号`;
const NEW_LOYALTY_ADDRESS = `8 West Lake Road ${randomUUID().slice(0, 6)}, Hangzhou`;
const person = {
  accountId: `u-7${Date.now().toString().slice(-6)}`,
  email: uniqueEmail('correction'),
  phone: '+8613800137000',
};

function documents() {
  return DynamoDBDocumentClient.from(localDynamoDbClient(stack().dynamodb));
}

async function partition(table: string, accountId: string): Promise<Record<string, unknown>[]> {
  const { Items } = await documents().send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'accountId = :id',
      ExpressionAttributeValues: { ':id': accountId },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []) as Record<string, unknown>[];
}

/** The loyalty database of the running stack, found through its postmaster.pid (line 4 is the port). */
async function loyaltyDatabase(): Promise<pg.Client> {
  const pid = await readFile(join(stack().stateDir, 'postgres', 'data', 'postmaster.pid'), 'utf8');
  const port = pid.split('\n')[3]?.trim();
  const client = new pg.Client({ connectionString: `postgres://dsar@127.0.0.1:${port}/dsar_demo` });
  await client.connect();
  return client;
}

async function loyaltyRows(client: pg.Client, accountId: string) {
  const members = await client.query('SELECT * FROM loyalty.members WHERE account_id = $1', [accountId]);
  const deliveries = await client.query(
    'SELECT * FROM loyalty.reward_deliveries WHERE account_id = $1 ORDER BY id',
    [accountId],
  );
  return { members: members.rows, deliveries: deliveries.rows };
}

describe('applying a correction through the connectors', () => {
  let loyalty: pg.Client;
  const otherPerson = DEMO_PEOPLE[1]!;

  beforeAll(async () => {
    loyalty = await loyaltyDatabase();
    await documents().send(
      new PutCommand({
        TableName: DEMO_STORES.accountsTable,
        Item: { ...person, nickname: 'corrector', region: '上海', marketingConsent: false },
      }),
    );
    for (const orderId of ['o-1', 'o-2']) {
      await documents().send(
        new PutCommand({
          TableName: DEMO_STORES.ordersTable,
          Item: {
            accountId: person.accountId,
            orderId: `${orderId}-${person.accountId}`,
            placedAt: '2025-10-01T10:00:00Z',
            amountCny: 199,
            invoiceEmail: person.email,
            shippingAddress: OLD_ADDRESS,
          },
        }),
      );
    }
    // Two reward deliveries (the builder gives an odd index two).
    await insertLoyaltyRows(loyalty, loyaltyRowsOf(person, 1));
  });

  afterAll(async () => {
    await loyalty?.end();
  });

  it('corrects the address in DynamoDB and PostgreSQL, nothing else, with before and after masked on the trail', async () => {
    const agent = tokenFor('agent', 'corrections-agent');
    const id = await createdId(agent, {
      policyId: 'caftrade',
      type: 'correction',
      subject: { email: person.email },
      details: 'My delivery address is wrong',
    });
    const ordersBefore = await partition(DEMO_STORES.ordersTable, person.accountId);
    const accountBefore = await partition(DEMO_STORES.accountsTable, person.accountId);
    const othersOrdersBefore = await partition(DEMO_STORES.ordersTable, otherPerson.accountId);
    const loyaltyBefore = await loyaltyRows(loyalty, person.accountId);
    const othersLoyaltyBefore = await loyaltyRows(loyalty, otherPerson.accountId);

    // A field off the allow-list is refused before any store is touched, and the refusal is recorded.
    const refused = await post(`${CONSOLE}/${id}/corrections`, agent, {
      changes: [{ storeId: 'accounts', category: 'account', field: 'email', value: 'x@example.com' }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'change-not-correctable', field: 'changes.0.field' });

    const answer = await post(`${CONSOLE}/${id}/corrections`, agent, {
      changes: [
        { storeId: 'orders', category: 'delivery', field: 'shippingAddress', value: NEW_ADDRESS },
        {
          storeId: 'loyalty',
          category: 'reward-deliveries',
          field: 'delivery_address',
          value: NEW_LOYALTY_ADDRESS,
        },
      ],
      note: 'Customer moved; confirmed on the phone',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      requestId: id,
      status: 'fulfilled',
      stores: [
        { storeId: 'orders', status: 'applied', records: 2, changed: 2, unchanged: 0 },
        { storeId: 'loyalty', status: 'applied', records: 2, changed: 2, unchanged: 0 },
      ],
      noticeSent: true,
    });

    // DynamoDB: the two orders have the new address and are otherwise as they were.
    const ordersAfter = await partition(DEMO_STORES.ordersTable, person.accountId);
    expect(ordersAfter).toEqual(ordersBefore.map((order) => ({ ...order, shippingAddress: NEW_ADDRESS })));
    expect(await partition(DEMO_STORES.accountsTable, person.accountId)).toEqual(accountBefore);
    expect(await partition(DEMO_STORES.ordersTable, otherPerson.accountId)).toEqual(othersOrdersBefore);

    // PostgreSQL: the deliveries have the new address; names, members and other people unchanged.
    const loyaltyAfter = await loyaltyRows(loyalty, person.accountId);
    expect(loyaltyAfter.members).toEqual(loyaltyBefore.members);
    expect(loyaltyAfter.deliveries).toEqual(
      loyaltyBefore.deliveries.map((row) => ({ ...row, delivery_address: NEW_LOYALTY_ADDRESS })),
    );
    expect(await loyaltyRows(loyalty, otherPerson.accountId)).toEqual(othersLoyaltyBefore);

    // The trail: the refusal, then one correction event by the agent, masked; then the status moves.
    const shown = await detail(id);
    const timeline = shown.body.timeline as AuditEvent[];
    const types = timeline.map((event) => event.type);
    expect(types).toContain('rejected-input');
    const corrected = timeline.find((event) => event.type === 'correction-applied');
    expect(corrected?.actor).toEqual({ kind: 'agent', id: 'corrections-agent' });
    if (corrected === undefined) throw new Error('no correction-applied event');
    const { stores } = corrected.details as {
      stores: { storeId: string; fields: Record<string, unknown>[] }[];
    };
    expect(stores.map((store) => store.storeId)).toEqual(['orders', 'loyalty']);
    for (const field of stores.flatMap((store) => store.fields)) {
      expect(field.before).toMatch(/^hmac-sha256:/);
      expect(field.after).toMatch(/^hmac-sha256:/);
      expect(field.before).not.toBe(field.after);
      expect(field.changed).toBe(true);
    }
    const serialised = JSON.stringify(timeline);
    for (const value of [OLD_ADDRESS, NEW_ADDRESS, NEW_LOYALTY_ADDRESS, person.accountId, person.email]) {
      expect(serialised).not.toContain(value);
    }
    expect(types.slice(types.indexOf('correction-applied'))).toEqual([
      'correction-applied',
      'status-changed',
      'status-changed',
      'notification-sent',
    ]);
    expect(shown.body.status).toBe('fulfilled');
    expect(shown.body.auditTrail).toEqual({ intact: true });

    const mail = await waitForMail(person.email, 'Result of your correction request');
    expect(mail.text).toContain('corrected');
    expect(mail.text).not.toContain(NEW_ADDRESS);

    // The request is closed: asking again is refused, and nothing changes.
    const again = await post(`${CONSOLE}/${id}/corrections`, agent, {
      changes: [{ storeId: 'orders', category: 'delivery', field: 'shippingAddress', value: 'elsewhere' }],
    });
    expect(again.status).toBe(409);
    expect(await partition(DEMO_STORES.ordersTable, person.accountId)).toEqual(ordersAfter);
  });

  it('lets an auditor read but not correct', async () => {
    const answer = await post(`${CONSOLE}/dsr-${randomUUID()}/corrections`, tokenFor('auditor'), {
      changes: [{ storeId: 'orders', category: 'delivery', field: 'shippingAddress', value: 'x' }],
    });
    expect(answer.status).toBe(403);
  });
});
