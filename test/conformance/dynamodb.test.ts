/**
 * The DynamoDB connector against DynamoDB Local, seeded with the demo
 * organisation (local/demo/organisation.ts): accounts (found through KEYS_ONLY
 * GSIs, anonymised with hmac), orders (kept under the E-Commerce Law hold,
 * delivery details anonymised) and comments (deleted).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DynamoDBClient,
  ProvisionedThroughputExceededException,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { QueryCommand as DocumentQueryCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubjectIdentity } from '../../connectors/contract';
import { ConnectorPermanentError, ConnectorTransientError } from '../../connectors/contract';
import { DynamoDbConnector } from '../../connectors/dynamodb/connector';
import { createConnector } from '../../connectors/factory';
import { storeById } from '../../domain/stores/registry';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/credentials';
import { DEMO_PEOPLE, type DemoPerson, seedDemoOrganisation } from '../../local/demo/organisation';
import { loadDemoRegistry } from '../../local/demo/registry';
import { type DynamoDbLocal, localDynamoDbClient, startDynamoDbLocal } from '../../local/dynamodb';
import { localS3Client, type S3Server, startS3Server } from '../../local/s3';
import { type ConformanceExpectations, type CorrectionFixture, describeConnectorConformance } from './suite';
import { DYNAMODB_THROTTLED, startFaultProxy } from './support/fault-proxy';

function demoPerson(index: number): DemoPerson {
  const person = DEMO_PEOPLE[index];
  if (person === undefined) throw new Error(`the demo organisation has no person ${index}`);
  return person;
}
const liLei = demoPerson(0);
const hanMeimei = demoPerson(1);
const identityOf = (person: DemoPerson): SubjectIdentity => ({
  accountId: person.accountId,
  email: person.email,
  phone: person.phone,
});

// Fixed, so that the orders placed in 2025 are inside their three-year hold whatever day the tests run.
const NOW = '2026-11-24T08:00:00Z';
const FAST_BACKOFF = { baseDelayMs: 1, maxDelayMs: 5 };

interface LocalStack {
  readonly dynamoDbEndpoint: string;
  readonly dynamoDbPort: number;
  readonly dynamoDb: DynamoDBClient;
  readonly s3: S3Client;
}

let started: Promise<{ stack: LocalStack; stop: () => Promise<void> }> | undefined;

/** DynamoDB Local and the S3 server (the demo seed writes both), started once for this file. */
function localStack(): Promise<LocalStack> {
  started ??= (async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'dsar-conformance-dynamodb-'));
    let dynamoDbLocal: DynamoDbLocal | undefined;
    let s3Server: S3Server | undefined;
    try {
      dynamoDbLocal = await startDynamoDbLocal();
      s3Server = await startS3Server({ stateDir });
    } catch (error) {
      await dynamoDbLocal?.stop();
      throw error;
    }
    const stack = {
      dynamoDbEndpoint: dynamoDbLocal.endpoint,
      dynamoDbPort: dynamoDbLocal.port,
      dynamoDb: localDynamoDbClient(dynamoDbLocal.endpoint),
      s3: localS3Client(s3Server.endpoint),
    };
    await seedDemoOrganisation(stack.dynamoDb, stack.s3);
    const servers = [dynamoDbLocal, s3Server];
    return {
      stack,
      stop: async () => {
        stack.dynamoDb.destroy();
        stack.s3.destroy();
        await Promise.all(servers.map((server) => server.stop()));
        await rm(stateDir, { recursive: true, force: true });
      },
    };
  })();
  return started.then(({ stack }) => stack);
}

afterAll(async () => {
  await (await started)?.stop();
});

type RawItem = Record<string, AttributeValue>;

/** JSON with object keys sorted at every level, so equal data serialises to equal text. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Every item in one partition, read with the low-level client: the raw stored form. */
async function partition(client: DynamoDBClient, tableName: string, accountId: string): Promise<RawItem[]> {
  const items: RawItem[] = [];
  let exclusiveStartKey: RawItem | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'accountId = :id',
        ExpressionAttributeValues: { ':id': { S: accountId } },
        ConsistentRead: true,
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    items.push(...(page.Items ?? []));
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
  return items;
}

async function batchWrite(client: DynamoDBClient, tableName: string, requests: object[]) {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: Record<string, object[]> = { [tableName]: requests.slice(i, i + 25) };
    while (Object.keys(pending).length > 0) {
      const result = await client.send(new BatchWriteItemCommand({ RequestItems: pending as never }));
      pending = (result.UnprocessedItems ?? {}) as Record<string, object[]>;
    }
  }
}

/**
 * A fixture for one demo table: the store definition from the demo registry,
 * Li Lei as the subject and Han Meimei as the other subject. Both people's
 * partitions are snapshotted once after seeding and restored before every
 * obligation.
 */
function demoTableFixture(
  storeId: string,
  expected: ConformanceExpectations,
  correction?: CorrectionFixture,
) {
  return async () => {
    const stack = await localStack();
    const store = storeById(loadDemoRegistry(), storeId);
    if (store.kind !== 'dynamodb') throw new Error(`${storeId} is not a DynamoDB store`);
    const tableName = store.dynamodb.tableName;
    const people = [liLei, hanMeimei];
    const seeded = new Map(
      await Promise.all(
        people.map(
          async (person) =>
            [person.accountId, await partition(stack.dynamoDb, tableName, person.accountId)] as const,
        ),
      ),
    );
    const proxy = await startFaultProxy(stack.dynamoDbPort);
    // Only the connector's own retries (the SDK's would stack on them and stretch the deadline).
    const throughProxy = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${proxy.port}`,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    const keyOf = (item: RawItem) =>
      Object.fromEntries(
        [store.dynamodb.partitionKey, store.dynamodb.sortKey]
          .filter((name): name is string => name !== undefined)
          .map((name) => [name, item[name]]),
      );
    return {
      connector: createConnector(store, { dynamoDb: stack.dynamoDb, backoff: FAST_BACKOFF }),
      subject: identityOf(liLei),
      otherSubject: identityOf(hanMeimei),
      now: NOW,
      expected,
      ...(correction === undefined ? {} : { correction }),
      async reseed() {
        for (const person of people) {
          const current = await partition(stack.dynamoDb, tableName, person.accountId);
          await batchWrite(
            stack.dynamoDb,
            tableName,
            current.map((item) => ({ DeleteRequest: { Key: keyOf(item) } })),
          );
          await batchWrite(
            stack.dynamoDb,
            tableName,
            (seeded.get(person.accountId) ?? []).map((Item) => ({ PutRequest: { Item } })),
          );
        }
      },
      async readRaw(identity: SubjectIdentity) {
        const items = await partition(stack.dynamoDb, tableName, identity.accountId ?? '');
        return stableJson(items.map(stableJson).sort());
      },
      ...((store.resolves ?? []).length === 0
        ? {}
        : {
            ambiguity: {
              // A second account registered with Li Lei's email, found through the same index.
              add: async () => {
                await batchWrite(stack.dynamoDb, tableName, [
                  {
                    PutRequest: {
                      Item: {
                        [store.dynamodb.partitionKey]: { S: AMBIGUOUS_ACCOUNT },
                        email: { S: liLei.email },
                      },
                    },
                  },
                ]);
                return { email: liLei.email };
              },
              remove: () =>
                batchWrite(stack.dynamoDb, tableName, [
                  { DeleteRequest: { Key: { [store.dynamodb.partitionKey]: { S: AMBIGUOUS_ACCOUNT } } } },
                ]),
            },
          }),
      unreachableConnector: () =>
        createConnector(store, {
          dynamoDb: localDynamoDbClient('http://127.0.0.1:9'),
          backoff: { attempts: 1 },
        }),
      faults: {
        connector: createConnector(store, {
          dynamoDb: throughProxy,
          backoff: { ...FAST_BACKOFF, attempts: 3 },
          callTimeoutMs: 1_000,
        }),
        proxy,
        // One call's timeout (1 s), with room for the test machine.
        deadlineMs: 2_500,
        throttled: DYNAMODB_THROTTLED,
      },
      async teardown() {
        throughProxy.destroy();
        await proxy.close();
      },
    };
  };
}

/** The account id of the second account the ambiguity obligation stores (accounts has no sort key). */
const AMBIGUOUS_ACCOUNT = 'u-ambiguous';

const liLeiOrders = 3;
const liLeiComments = 2;

describeConnectorConformance(
  'DynamoDB accounts (GSI lookups, hmac anonymisation)',
  demoTableFixture(
    'accounts',
    {
      found: 1,
      resolved: { accountId: liLei.accountId },
      exported: 2,
      erased: { deleted: 0, anonymised: 1, retained: 0 },
      afterErasure: { anonymised: 1, retained: 0 },
    },
    {
      changes: [
        { category: 'account', field: 'region', value: '杭州' },
        { category: 'account', field: 'nickname', value: 'li-lei-2026' },
      ],
      changed: 2,
      notAllowed: { category: 'account', field: 'email', value: 'someone.else@example.com' },
    },
  ),
);

describeConnectorConformance(
  'DynamoDB orders (three-year hold, delivery details anonymised)',
  demoTableFixture(
    'orders',
    {
      found: liLeiOrders,
      exported: liLeiOrders * 2,
      erased: { deleted: 0, anonymised: 0, retained: liLeiOrders },
      afterErasure: { anonymised: 0, retained: liLeiOrders, retainedBases: ['PRC E-Commerce Law art. 31'] },
    },
    {
      changes: [{ category: 'delivery', field: 'shippingAddress', value: '杭州 西湖路 8 号' }],
      changed: liLeiOrders,
      notAllowed: { category: 'transaction-records', field: 'amountCny', value: 1 },
    },
  ),
);

describeConnectorConformance(
  'DynamoDB comments (deleted)',
  demoTableFixture('comments', {
    found: liLeiComments,
    exported: liLeiComments,
    erased: { deleted: liLeiComments, anonymised: 0, retained: 0 },
    afterErasure: { anonymised: 0, retained: 0 },
  }),
);

describe('DynamoDB connector behaviour on the demo data', () => {
  // Alice (the third demo person) is erased once here; no conformance fixture uses her.
  const alice = demoPerson(2);
  const context = { requestId: 'req-behaviour', hmacKey: 'behaviour-key', now: NOW };
  const commands: string[] = [];

  beforeAll(async () => {
    const client = localDynamoDbClient((await localStack()).dynamoDbEndpoint);
    client.middlewareStack.add(
      (next, handlerContext) => (args) => {
        commands.push(handlerContext.commandName ?? '');
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    for (const storeId of ['accounts', 'orders', 'comments']) {
      const connector = createConnector(storeById(loadDemoRegistry(), storeId), { dynamoDb: client });
      await connector.find({ email: alice.email });
      for await (const _ of connector.export({ phone: alice.phone, accountId: alice.accountId })) {
        // Read to the end: export is lazy.
      }
      await connector.erase(identityOf(alice), context);
      await connector.verifyErasure(identityOf(alice), context);
    }
    client.destroy();
  });

  async function storedItems(tableName: string): Promise<Record<string, unknown>[]> {
    const documents = DynamoDBDocumentClient.from((await localStack()).dynamoDb);
    const { Items } = await documents.send(
      new DocumentQueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'accountId = :id',
        ExpressionAttributeValues: { ':id': alice.accountId },
        ConsistentRead: true,
      }),
    );
    return Items ?? [];
  }

  it('finds, exports, erases and verifies with Query, BatchGet, BatchWrite and UpdateItem, never Scan', () => {
    expect(commands).toEqual(
      expect.arrayContaining([
        'QueryCommand',
        'BatchGetItemCommand',
        'BatchWriteItemCommand',
        'UpdateItemCommand',
      ]),
    );
    expect(commands.filter((name) => name.startsWith('Scan'))).toEqual([]);
  });

  it('leaves an erased account with its key, an hmac of the real-name verification and no contact details', async () => {
    const [account] = await storedItems('demo-accounts');
    expect(account).toMatchObject({
      accountId: alice.accountId,
      realNameVerification: expect.stringMatching(/^hmac-sha256:/),
      dsarAnonymised: { requestId: 'req-behaviour', at: NOW },
    });
    for (const field of ['email', 'phone', 'nickname', 'birthday', 'region', 'marketingConsent']) {
      expect(account).not.toHaveProperty(field);
    }
  });

  it('keeps erased orders with their amounts, delivery details replaced and processing restricted until the hold ends', async () => {
    const orders = await storedItems('demo-orders');
    expect(orders.length).toBeGreaterThan(0);
    for (const order of orders) {
      expect(order).toMatchObject({
        amountCny: expect.any(Number),
        shippingAddress: '[removed]',
        invoiceEmail: '[removed]',
        dsarRestriction: { requestId: 'req-behaviour', basis: 'PRC E-Commerce Law art. 31' },
      });
      const placedAt = String(order.placedAt);
      expect(order.dsarRestriction).toMatchObject({
        until: `${Number(placedAt.slice(0, 4)) + 3}${placedAt.slice(4, 10)}`,
      });
    }
  });
});

describe('DynamoDB connector faults', () => {
  /** A real client whose first `failures` sends throw `error` before reaching DynamoDB Local. */
  function failingClient(endpoint: string, failures: number, error: () => Error) {
    const client = localDynamoDbClient(endpoint);
    let sends = 0;
    // Added at the initialize step, above the SDK's own retry middleware, so the connector's retry is what is tested.
    client.middlewareStack.add(
      (next) => async (args) => {
        sends++;
        if (sends <= failures) throw error();
        return next(args);
      },
      { step: 'initialize', name: 'injectFault' },
    );
    return { client, sends: () => sends };
  }

  const throttled = () =>
    new ProvisionedThroughputExceededException({
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });

  const endpoint = async () => (await localStack()).dynamoDbEndpoint;

  const comments = storeById(loadDemoRegistry(), 'comments');
  if (comments.kind !== 'dynamodb') throw new Error('comments is a DynamoDB store');

  it('retries a throttled Query and succeeds', async () => {
    const { client, sends } = failingClient(await endpoint(), 2, throttled);
    const connector = new DynamoDbConnector(comments, { client, backoff: FAST_BACKOFF });
    const { count } = await connector.find({ accountId: hanMeimei.accountId });
    expect(count).toBeGreaterThan(0);
    expect(sends()).toBe(3);
    client.destroy();
  });

  it('reports throttling that outlasts its retries as ConnectorTransientError', async () => {
    const { client } = failingClient(await endpoint(), 10, throttled);
    const connector = new DynamoDbConnector(comments, { client, backoff: { ...FAST_BACKOFF, attempts: 3 } });
    await expect(connector.find({ accountId: hanMeimei.accountId })).rejects.toBeInstanceOf(
      ConnectorTransientError,
    );
    client.destroy();
  });

  it('maps a table that does not exist to ConnectorPermanentError without retrying', async () => {
    const stack = await localStack();
    const missing = { ...comments, dynamodb: { ...comments.dynamodb, tableName: 'no-such-table' } };
    const connector = new DynamoDbConnector(missing, { client: stack.dynamoDb, backoff: FAST_BACKOFF });
    await expect(connector.healthCheck()).rejects.toBeInstanceOf(ConnectorPermanentError);
    await expect(connector.find({ accountId: liLei.accountId })).rejects.toMatchObject({
      name: 'ConnectorPermanentError',
      storeId: 'comments',
    });
  });
});
