import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIPELINE_TABLES, REQUESTS_TABLE, TOKENS_TABLE } from '../../../definitions/tables';
import {
  createTables,
  type DynamoDbLocal,
  DynamoDbLocalStartError,
  localDynamoDbClient,
  localTableNames,
  startDynamoDbLocal,
} from '../../../local/dynamodb';
import { exited, firstJsonLine, isRunning, runTypeScript, waitUntilGone } from './processes';

const names = localTableNames();

describe('DynamoDB Local in memory', () => {
  let dynamoDb: DynamoDbLocal;
  let client: DynamoDBClient;

  beforeAll(async () => {
    dynamoDb = await startDynamoDbLocal();
    client = localDynamoDbClient(dynamoDb.endpoint);
    await createTables(client, PIPELINE_TABLES, names);
  });

  afterAll(async () => {
    client?.destroy();
    await dynamoDb?.stop();
  });

  it('creates every pipeline table under its local name', async () => {
    const { TableNames } = await client.send(new ListTablesCommand({}));
    expect(TableNames).toEqual(expect.arrayContaining(Object.values(names)));
    expect(names).toMatchObject({ REQUESTS_TABLE: 'dsar-Requests', AUDIT_TABLE: 'dsar-AuditEvents' });
  });

  it('gives the requests table its key schema, on-demand billing and both indexes with their projection', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: names.REQUESTS_TABLE }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'requestId', KeyType: 'HASH' }]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const indexes = Object.fromEntries(
      (Table?.GlobalSecondaryIndexes ?? []).map((index) => [index.IndexName, index]),
    );
    for (const definition of REQUESTS_TABLE.globalSecondaryIndexes) {
      expect(indexes[definition.indexName]?.Projection?.ProjectionType).toBe(definition.projection);
      expect(indexes[definition.indexName]?.KeySchema).toEqual([
        { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: definition.sortKey?.name, KeyType: 'RANGE' },
      ]);
    }
  });

  it('switches on TTL with the attribute the definition names', async () => {
    const { TimeToLiveDescription } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: names.TOKENS_TABLE }),
    );
    expect(TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: TOKENS_TABLE.timeToLiveAttribute,
    });
  });

  it('leaves existing tables and their items alone when run again', async () => {
    await client.send(
      new PutItemCommand({ TableName: names.REQUESTS_TABLE, Item: { requestId: { S: 'kept' } } }),
    );
    const result = await createTables(client, PIPELINE_TABLES, names);
    expect(result.created).toEqual([]);
    expect(result.existing).toEqual(Object.values(names));
    const { Item } = await client.send(
      new GetItemCommand({ TableName: names.REQUESTS_TABLE, Key: { requestId: { S: 'kept' } } }),
    );
    expect(Item).toEqual({ requestId: { S: 'kept' } });
  });

  it('shows the same tables to every access key and region', async () => {
    const other = new DynamoDBClient({
      endpoint: dynamoDb.endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'SomeoneElse', secretAccessKey: 'other' },
    });
    try {
      const { TableNames } = await other.send(new ListTablesCommand({}));
      expect(TableNames).toEqual(expect.arrayContaining(Object.values(names)));
    } finally {
      other.destroy();
    }
  });

  const externalAddress = Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;

  it.skipIf(externalAddress === undefined)(
    'refuses connections on addresses other than loopback',
    async () => {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = connect(dynamoDb.port, externalAddress);
        socket.once('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
      expect(refused).toBe(true);
    },
  );
});

describe('DynamoDB Local with a state directory', () => {
  let stateDir: string;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-dynamodb-'));
  });

  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('keeps tables and items across a restart', async () => {
    const first = await startDynamoDbLocal({ stateDir });
    const firstClient = localDynamoDbClient(first.endpoint);
    await createTables(firstClient, PIPELINE_TABLES, names);
    await firstClient.send(
      new PutItemCommand({ TableName: names.AUDIT_TABLE, Item: { requestId: { S: 'r1' }, seq: { N: '1' } } }),
    );
    firstClient.destroy();
    await first.stop();

    const second = await startDynamoDbLocal({ stateDir });
    const secondClient = localDynamoDbClient(second.endpoint);
    try {
      const result = await createTables(secondClient, PIPELINE_TABLES, names);
      expect(result.created).toEqual([]);
      const { Item } = await secondClient.send(
        new GetItemCommand({
          TableName: names.AUDIT_TABLE,
          Key: { requestId: { S: 'r1' }, seq: { N: '1' } },
        }),
      );
      expect(Item).toEqual({ requestId: { S: 'r1' }, seq: { N: '1' } });
    } finally {
      secondClient.destroy();
      await second.stop();
    }
  });
});

describe('DynamoDB Local process lifetime', () => {
  const owner = fileURLToPath(new URL('./fixtures/dynamodb-owner.ts', import.meta.url));

  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)(
    'ends the JVM when the Node process that started it receives %s',
    async (signal) => {
      const child = runTypeScript(owner);
      const { pid } = await firstJsonLine<{ pid: number }>(child);
      expect(isRunning(pid)).toBe(true);
      child.kill(signal);
      await exited(child);
      expect(await waitUntilGone(pid)).toBe(true);
    },
  );

  it('stops the JVM and waits for it to exit', async () => {
    const dynamoDb = await startDynamoDbLocal();
    await dynamoDb.stop();
    expect(isRunning(dynamoDb.pid)).toBe(false);
  });

  it('explains that Java is missing when it cannot be run', async () => {
    const start = startDynamoDbLocal({ javaCommand: '/nonexistent/bin/java' });
    await expect(start).rejects.toBeInstanceOf(DynamoDbLocalStartError);
    await expect(start).rejects.toThrow(/Java was not found/);
  });
});
