/**
 * The whole pipeline on one machine: every embedded AWS endpoint started,
 * the pipeline's tables and buckets created from the shared definitions, the
 * demo organisation seeded, and the same handlers served behind the same
 * route table as on AWS. Only endpoints differ from a deployment.
 *
 * Used by `npm start` (local/start.ts) and by the integration tests (which run
 * local/start.ts as a child process, exactly as a user would).
 */
import './polyfills';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { PIPELINE_BUCKETS } from '../infra/definitions/buckets';
import { EMAIL_INTAKE, PIPELINE_FUNCTIONS } from '../infra/definitions/functions';
import { PIPELINE_ROUTES } from '../infra/definitions/routes';
import { PIPELINE_TABLES } from '../infra/definitions/tables';
import { startApiGateway } from './api-gateway';
import { startConsoleIssuer } from './console-issuer';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './credentials';
import { seedDemoOrganisation } from './demo/organisation';
import { createTables, localDynamoDbClient, localTableNames, startDynamoDbLocal } from './dynamodb';
import { startLambdaService } from './lambda';
import { startOutbox } from './outbox';
import { createBuckets, localBucketNames, localS3Client, startS3Server } from './s3';
import { startSmtpIntake } from './smtp';

export const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

export interface LocalStackOptions {
  /** Where all state lives (tables, objects, outbox, executions). @default `<repo>/.local` */
  readonly stateDir?: string;
  /** Delete the state first. */
  readonly reset?: boolean;
  /** API port. @default 3000; 0 picks a free port */
  readonly apiPort?: number;
  /** SMTP (inbound mail) port. @default 2525; 0 picks a free port */
  readonly smtpPort?: number;
  /** Policy for requests that do not name one. @default caftrade (the demo organisation is modelled on seed 000) */
  readonly defaultPolicyId?: string;
  readonly log?: (line: string) => void;
}

export interface LocalStackUrls {
  readonly api: string;
  readonly openapi: string;
  /** JWKS of the local console token issuer (`npx dsar token` signs with its key). */
  readonly consoleJwks: string;
  readonly outbox: string;
  readonly smtp: string;
  readonly smtpPort: number;
  readonly dynamodb: string;
  readonly s3: string;
  readonly lambda: string;
  readonly stateDir: string;
}

export interface LocalStack {
  readonly urls: LocalStackUrls;
  stop(): Promise<void>;
}

/**
 * The HMAC key that hashes identifiers, codes and tokens. Kept in the state
 * directory so that hashes stay valid across restarts; a new one is made on reset.
 */
async function localHmacKey(stateDir: string): Promise<string> {
  const file = join(stateDir, 'pipeline-hmac-key');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const key = randomBytes(32).toString('base64url');
    await writeFile(file, key, { mode: 0o600 });
    return key;
  }
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const stateDir = resolve(options.stateDir ?? join(REPO_ROOT, '.local'));
  const log = options.log ?? ((line: string) => console.log(line));
  if (options.reset) await rm(stateDir, { recursive: true, force: true });
  await mkdir(stateDir, { recursive: true });

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const [dynamodb, s3Server, outbox] = await Promise.all([
      startDynamoDbLocal({ stateDir }),
      startS3Server({ stateDir }),
      startOutbox({ stateDir }),
    ]);
    stops.push(dynamodb.stop, s3Server.stop, outbox.stop);

    const tableNames = localTableNames();
    const bucketNames = localBucketNames();
    const dynamoDbClient = localDynamoDbClient(dynamodb.endpoint);
    const s3Client = localS3Client(s3Server.endpoint);
    await createTables(dynamoDbClient, PIPELINE_TABLES, tableNames);
    await createBuckets(s3Client, PIPELINE_BUCKETS, bucketNames);
    const { seeded } = await seedDemoOrganisation(dynamoDbClient, s3Client);
    if (seeded) log('Seeded the demo organisation (accounts, orders, comments, device logs, files).');

    const apiPort = options.apiPort ?? 3000;
    // The Lambda service must know the public base URL before handlers load, so
    // the API port is fixed first: 0 means "find one now".
    const { findFreePort } = await import('./ports');
    const resolvedApiPort = apiPort === 0 ? await findFreePort() : apiPort;
    const apiUrl = `http://127.0.0.1:${resolvedApiPort}`;

    const lambdaPort = await findFreePort();
    const lambdaUrl = `http://127.0.0.1:${lambdaPort}`;
    const env: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_S3: s3Server.endpoint,
      AWS_ENDPOINT_URL_SESV2: outbox.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: lambdaUrl,
      S3_FORCE_PATH_STYLE: 'true',
      ...tableNames,
      ...bucketNames,
      PIPELINE_HMAC_KEY: await localHmacKey(stateDir),
      DEFAULT_POLICY_ID: options.defaultPolicyId ?? process.env.DEFAULT_POLICY_ID ?? 'caftrade',
      SENDER_ADDRESS: 'privacy@demo-shop.local',
      PUBLIC_BASE_URL: apiUrl,
      POWERTOOLS_SERVICE_NAME: 'dsar-pipeline-local',
      POWERTOOLS_METRICS_NAMESPACE: 'DsarPipeline',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
    };
    // The handlers run in this process: the SDK clients they create read these.
    Object.assign(process.env, env);

    const lambda = await startLambdaService({
      functions: PIPELINE_FUNCTIONS,
      rootDir: REPO_ROOT,
      port: lambdaPort,
      env,
    });
    stops.push(lambda.stop);

    // Console routes need a JWT: the local issuer signs them and its authoriser checks them as AWS does.
    const consoleIssuer = startConsoleIssuer({ stateDir, apiUrl });
    const api = await startApiGateway({
      routes: PIPELINE_ROUTES,
      lambdaEndpoint: lambda.url,
      port: resolvedApiPort,
      authorizer: consoleIssuer.authorizer,
      fallback: consoleIssuer.fallback,
    });
    stops.push(api.stop);

    const smtp = await startSmtpIntake({
      port: options.smtpPort ?? 2525,
      s3: s3Client,
      inboundBucket: bucketNames.INBOUND_BUCKET!,
      lambda: new LambdaClient({
        endpoint: lambda.url,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
      functionName: EMAIL_INTAKE.id,
    });
    stops.push(smtp.stop);

    return {
      urls: {
        api: apiUrl,
        openapi: `${apiUrl}/openapi.json`,
        consoleJwks: consoleIssuer.config.jwksUrl,
        outbox: `${outbox.endpoint}/outbox`,
        smtp: smtp.url,
        smtpPort: smtp.port,
        dynamodb: dynamodb.endpoint,
        s3: s3Server.endpoint,
        lambda: lambda.url,
        stateDir,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
