import { GetObjectTaggingCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PEOPLE, DEMO_STORES, type DemoPerson } from '../../../local/demo/organisation';
import { localDynamoDbClient } from '../../../local/dynamodb';
import { localS3Client } from '../../../local/s3';
import { downloadLinkIn, mailAbout, submitAndVerify, waitForStatus } from './support';

// Alice is the one demo person whose data this file deletes; no other test erases her.
const ALICE = DEMO_PEOPLE.find((person) => person.email === 'alice@example.org')!;
const KEPT = DEMO_PEOPLE.filter((person) => person !== ALICE);

async function itemsOf(documents: DynamoDBDocumentClient, table: string, accountId: string) {
  const { Items } = await documents.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'accountId = :id',
      ExpressionAttributeValues: { ':id': accountId },
    }),
  );
  return Items ?? [];
}

describe('a deletion request, from verification to the summary', () => {
  const stack = inject('stack');
  const documents = DynamoDBDocumentClient.from(localDynamoDbClient(stack.dynamodb));
  const s3 = localS3Client(stack.s3);
  const snapshot = async (person: DemoPerson) =>
    JSON.stringify(
      await Promise.all(
        [
          DEMO_STORES.accountsTable,
          DEMO_STORES.ordersTable,
          DEMO_STORES.commentsTable,
          DEMO_STORES.deviceLogsTable,
        ].map((table) => itemsOf(documents, table, person.accountId)),
      ),
    );
  let othersBefore: string[];
  let requestId: string;
  /** The link of a copy of Alice's data mailed to her before she asked for deletion. */
  let earlierLink: string;

  beforeAll(async () => {
    const access = await submitAndVerify(stack, { type: 'access', subject: { email: ALICE.email } });
    await waitForStatus(stack, access.requestId, ['fulfilled', 'partially-fulfilled']);
    earlierLink = downloadLinkIn(await mailAbout(stack, ALICE.email, access.requestId, /download/i));
    expect((await fetch(earlierLink, { redirect: 'manual' })).status).toBe(302);
    othersBefore = await Promise.all(KEPT.map(snapshot));
    ({ requestId } = await submitAndVerify(stack, { type: 'deletion', subject: { email: ALICE.email } }));
    await waitForStatus(stack, requestId, ['fulfilled', 'partially-fulfilled']);
  }, 180_000);

  it('is fulfilled with every store done and nothing remaining', async () => {
    const { pipelineTables } = await import('../support/pipeline');
    const record = (await pipelineTables(stack).request(requestId))!;
    expect(record.status).toBe('fulfilled');
    for (const storeId of record.fulfilment!.plannedStores) {
      expect(record.fulfilment!.storeResults[storeId], storeId).toMatchObject({
        status: 'erased',
        remaining: 0,
      });
    }
  });

  it('deletes comments and device logs, and strips the account of contact details', async () => {
    expect(await itemsOf(documents, DEMO_STORES.commentsTable, ALICE.accountId)).toEqual([]);
    expect(await itemsOf(documents, DEMO_STORES.deviceLogsTable, ALICE.accountId)).toEqual([]);
    const account = JSON.stringify(await itemsOf(documents, DEMO_STORES.accountsTable, ALICE.accountId));
    expect(account).not.toContain(ALICE.email);
    expect(account).not.toContain(ALICE.phone);
    expect(account).not.toContain(ALICE.realName);
  });

  it('keeps orders under the E-Commerce Law hold, restricted, with delivery details anonymised', async () => {
    const orders = await itemsOf(documents, DEMO_STORES.ordersTable, ALICE.accountId);
    expect(orders.length).toBeGreaterThan(0);
    for (const order of orders) {
      expect(order.dsarRestriction).toMatchObject({
        requestId,
        basis: expect.stringContaining('E-Commerce Law'),
      });
      expect(JSON.stringify(order)).not.toContain(ALICE.email);
    }
  });

  it('deletes uploaded files and keeps invoices tagged as restricted', async () => {
    const list = async (prefix: string) =>
      (await s3.send(new ListObjectsV2Command({ Bucket: DEMO_STORES.filesBucket, Prefix: prefix })))
        .Contents ?? [];
    expect(await list(`uploads/${ALICE.accountId}/`)).toEqual([]);
    const invoices = await list(`invoices/${ALICE.accountId}/`);
    expect(invoices.length).toBeGreaterThan(0);
    for (const invoice of invoices) {
      const { TagSet } = await s3.send(
        new GetObjectTaggingCommand({ Bucket: DEMO_STORES.filesBucket, Key: invoice.Key! }),
      );
      expect(TagSet).toContainEqual({ Key: 'dsar-restricted', Value: requestId });
    }
  });

  it('revokes the link of the copy mailed to her before: it answers 410', async () => {
    expect((await fetch(earlierLink, { redirect: 'manual' })).status).toBe(410);
  });

  it("leaves every other person's data exactly as it was", async () => {
    expect(await Promise.all(KEPT.map(snapshot))).toEqual(othersBefore);
  });

  it('mails a summary with the legal basis of what is kept and the backup caveat', async () => {
    const summary = await mailAbout(stack, ALICE.email, requestId, /deletion request/);
    expect(summary.text).toContain('E-Commerce Law');
    expect(summary.text).toMatch(/backup/i);
    expect(summary.text).toContain('Newsletter');
  });
});
