/**
 * The demo organisation: a small online shop modelled on the data categories
 * of seed 000 (CAftrade: account information, real-name verification, posts
 * and comments, orders and invoices, device and log information, uploaded
 * files). Seeded into local mode so that fulfilment has real stores to work
 * on. Every person here is fictional.
 */

import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_FLOOR, type OrganisationSettings } from '../../domain/policy/organisation';

export interface DemoPerson {
  readonly accountId: string;
  readonly email: string;
  readonly phone: string;
  readonly nickname: string;
  readonly realName: string;
  readonly idNumberMasked: string;
  readonly birthday: string;
  readonly region: string;
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    accountId: 'u-1001',
    email: 'li.lei@example.com',
    phone: '+8613800138001',
    nickname: 'lilei',
    realName: '李雷',
    idNumberMasked: '110101********1234',
    birthday: '1990-05-04',
    region: '上海',
  },
  {
    accountId: 'u-1002',
    email: 'han.meimei@example.com',
    phone: '+8613800138002',
    nickname: 'meimei',
    realName: '韩梅梅',
    idNumberMasked: '310101********5678',
    birthday: '1992-08-15',
    region: '北京',
  },
  {
    accountId: 'u-1003',
    email: 'alice@example.org',
    phone: '+447700900123',
    nickname: 'alice',
    realName: 'Alice Example',
    idNumberMasked: 'GB********42',
    birthday: '1985-01-31',
    region: 'London',
  },
];

/** Table and bucket names of the demo organisation's own stores (not the pipeline's). */
export const DEMO_STORES = {
  accountsTable: 'demo-accounts',
  ordersTable: 'demo-orders',
  commentsTable: 'demo-comments',
  deviceLogsTable: 'demo-device-logs',
  filesBucket: 'demo-customer-files',
} as const;

interface DemoTable {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly indexes?: readonly { readonly name: string; readonly key: string }[];
}

const DEMO_TABLES: readonly DemoTable[] = [
  {
    name: DEMO_STORES.accountsTable,
    partitionKey: 'accountId',
    indexes: [
      { name: 'byEmail', key: 'email' },
      { name: 'byPhone', key: 'phone' },
    ],
  },
  { name: DEMO_STORES.ordersTable, partitionKey: 'accountId', sortKey: 'orderId' },
  { name: DEMO_STORES.commentsTable, partitionKey: 'accountId', sortKey: 'commentId' },
  { name: DEMO_STORES.deviceLogsTable, partitionKey: 'accountId', sortKey: 'loggedAt' },
];

function accountItem(person: DemoPerson) {
  return {
    accountId: person.accountId,
    email: person.email,
    phone: person.phone,
    nickname: person.nickname,
    birthday: person.birthday,
    region: person.region,
    realNameVerification: {
      realName: person.realName,
      idNumber: person.idNumberMasked,
      verifiedAt: '2024-03-01',
    },
    marketingConsent: true,
    createdAt: '2023-11-23T08:00:00Z',
  };
}

function ordersOf(person: DemoPerson, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    accountId: person.accountId,
    orderId: `o-${person.accountId.slice(2)}-${String(i + 1).padStart(3, '0')}`,
    placedAt: `2025-0${(i % 9) + 1}-1${i % 10}T10:00:00Z`,
    items: [{ sku: `sku-${100 + i}`, name: i % 2 ? 'Membership (1 year)' : 'Notebook', quantity: 1 }],
    amountCny: 99 + i * 10,
    paymentChannel: i % 2 ? 'Alipay' : 'WeChat Pay',
    invoiceEmail: person.email,
    shippingAddress: `${person.region} 示例路 ${i + 1} 号`,
  }));
}

function commentsOf(person: DemoPerson, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    accountId: person.accountId,
    commentId: `c-${person.accountId.slice(2)}-${i + 1}`,
    postedAt: `2025-10-0${(i % 9) + 1}T12:00:00Z`,
    text: i % 2 ? 'Great service, fast delivery.' : '质量很好，推荐！',
    location: person.region,
  }));
}

function deviceLogsOf(person: DemoPerson, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    accountId: person.accountId,
    loggedAt: `2025-11-0${(i % 9) + 1}T0${i % 10}:00:00Z`,
    deviceModel: i % 2 ? 'Pixel 9' : 'iPhone 16',
    osVersion: i % 2 ? 'Android 16' : 'iOS 19',
    ipAddress: `203.0.113.${(i * 7) % 250}`,
    event: i % 3 ? 'login' : 'crash-report',
  }));
}

async function createDemoTable(dynamoDb: DynamoDBClient, table: DemoTable) {
  const attributes = new Map<string, 'S'>([[table.partitionKey, 'S']]);
  if (table.sortKey) attributes.set(table.sortKey, 'S');
  for (const index of table.indexes ?? []) attributes.set(index.key, 'S');
  try {
    await dynamoDb.send(
      new CreateTableCommand({
        TableName: table.name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
          AttributeName,
          AttributeType,
        })),
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }] : []),
        ],
        ...(table.indexes?.length
          ? {
              GlobalSecondaryIndexes: table.indexes.map((index) => ({
                IndexName: index.name,
                KeySchema: [{ AttributeName: index.key, KeyType: 'HASH' as const }],
                Projection: { ProjectionType: 'KEYS_ONLY' as const },
              })),
            }
          : {}),
      }),
    );
    await waitUntilTableExists({ client: dynamoDb, maxWaitTime: 30 }, { TableName: table.name });
    return true;
  } catch (error) {
    if (error instanceof ResourceInUseException) return false;
    throw error;
  }
}

async function putAll(documents: DynamoDBDocumentClient, tableName: string, items: readonly object[]) {
  for (let i = 0; i < items.length; i += 25) {
    let batch: Record<string, { PutRequest: { Item: object } }[]> | undefined = {
      [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (batch && Object.keys(batch).length > 0) {
      const result = await documents.send(new BatchWriteCommand({ RequestItems: batch }));
      batch = result.UnprocessedItems as typeof batch;
    }
  }
}

/**
 * Creates the demo stores and fills them, once: if the accounts table already
 * exists (state persisted under .local/), the data is left as it is, so demo
 * deletions stay deleted across restarts.
 */
export async function seedDemoOrganisation(
  dynamoDb: DynamoDBClient,
  s3: S3Client,
): Promise<{ seeded: boolean }> {
  const created = await Promise.all(DEMO_TABLES.map((table) => createDemoTable(dynamoDb, table)));
  if (!created[0]) return { seeded: false };
  const documents = DynamoDBDocumentClient.from(dynamoDb);
  await putAll(documents, DEMO_STORES.accountsTable, DEMO_PEOPLE.map(accountItem));
  await putAll(
    documents,
    DEMO_STORES.ordersTable,
    DEMO_PEOPLE.flatMap((p, i) => ordersOf(p, 3 + i * 2)),
  );
  await putAll(
    documents,
    DEMO_STORES.commentsTable,
    DEMO_PEOPLE.flatMap((p, i) => commentsOf(p, 2 + i)),
  );
  await putAll(
    documents,
    DEMO_STORES.deviceLogsTable,
    DEMO_PEOPLE.flatMap((p) => deviceLogsOf(p, 5)),
  );

  await s3.send(new CreateBucketCommand({ Bucket: DEMO_STORES.filesBucket })).catch((error: Error) => {
    if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
  });
  for (const person of DEMO_PEOPLE) {
    for (const [i, order] of ordersOf(person, 2).entries()) {
      await s3.send(
        new PutObjectCommand({
          Bucket: DEMO_STORES.filesBucket,
          Key: `invoices/${person.accountId}/${order.orderId}.txt`,
          Body: `增值税电子普通发票 / e-invoice\nOrder ${order.orderId}\nAmount CNY ${order.amountCny}\nSent to ${person.email}\n`,
          ContentType: 'text/plain; charset=utf-8',
        }),
      );
      await s3.send(
        new PutObjectCommand({
          Bucket: DEMO_STORES.filesBucket,
          Key: `uploads/${person.accountId}/avatar-${i + 1}.txt`,
          Body: `Uploaded file ${i + 1} of ${person.nickname}`,
          ContentType: 'text/plain; charset=utf-8',
        }),
      );
    }
  }
  return { seeded: true };
}

/**
 * What the demo newsletter processor (a downstream recipient, run by
 * local/fake-processor.ts) holds about each demo person.
 */
export function newsletterSubscriberOf(person: DemoPerson) {
  return {
    identities: { email: person.email, controller_customer_id: person.accountId },
    records: [
      { id: `sub-${person.accountId}`, category: 'newsletter', email: person.email, list: 'weekly-deals' },
      { id: `dlv-${person.accountId}-1`, category: 'newsletter', email: person.email, opened: true },
      { id: `dlv-${person.accountId}-2`, category: 'newsletter', email: person.email, opened: false },
    ],
  };
}

/**
 * Where the demo shop's customers live, and the policy it applies to each (domain/policy/organisation.ts):
 * its own policy at home (seed 000), the statutory defaults abroad. The floor is the shipped one.
 */
export const DEMO_ORGANISATION_SETTINGS: OrganisationSettings = {
  residences: [
    { code: 'CN', name: { zh: '中国大陆', en: 'Mainland China' }, policyId: 'caftrade' },
    { code: 'EU', name: { zh: '欧盟', en: 'European Union' }, policyId: 'gdpr' },
    { code: 'GB', name: { zh: '英国', en: 'United Kingdom' }, policyId: 'uk-gdpr' },
    { code: 'US-CA', name: { zh: '美国加利福尼亚州', en: 'California, United States' }, policyId: 'ccpa' },
    { code: 'BR', name: { zh: '巴西', en: 'Brazil' }, policyId: 'lgpd' },
  ],
  floor: DEFAULT_FLOOR,
};
