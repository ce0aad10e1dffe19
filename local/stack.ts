/**
 * The whole pipeline on one machine: every embedded AWS endpoint started,
 * the pipeline's tables and buckets created from the shared definitions, the
 * demo organisation seeded, and the same handlers served behind the same
 * route table as on AWS. Only endpoints differ from a deployment.
 *
 * Used by `npm start` (local/start.ts) and by the integration tests (which run
 * local/start.ts as a child process, exactly as a user would).
 */
import { ORGANISATION_SETTINGS_VARIABLE, type OrganisationSettings } from '../domain/policy/organisation';
import './polyfills';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AUDIT_TRAIL_KEY_VARIABLE } from '../adapters/aws/kms-trail-mac';
import { HMAC_KEY_SECRET_VARIABLE } from '../adapters/aws/secrets';
import { PIPELINE_BUCKETS } from '../definitions/buckets';
import { EMAIL_INTAKE, PIPELINE_FUNCTIONS, SWEEP_REQUESTS } from '../definitions/functions';
import { PIPELINE_ROUTES } from '../definitions/routes';
import { PIPELINE_TABLES } from '../definitions/tables';
import { startApiGateway } from './api-gateway';
import { startConsoleIssuer } from './console-issuer';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './credentials';
import {
  DEMO_ORGANISATION_SETTINGS,
  DEMO_PEOPLE,
  newsletterSubscriberOf,
  seedDemoOrganisation,
} from './demo/organisation';
import { seedDemoPostgres } from './demo/postgres';
import { createTables, localDynamoDbClient, localTableNames, startDynamoDbLocal } from './dynamodb';
import { removeLocalEndpoints, writeLocalEndpoints } from './endpoints';
import { startFakeProcessor } from './fake-processor';
import { LOCAL_TRAIL_KEY_ARN, startKms } from './kms';
import { localFunctionArn, startLambdaService } from './lambda';
import { startOutbox } from './outbox';
import { startPostgres } from './postgres';
import { createBuckets, localBucketNames, localS3Client, startS3Server } from './s3';
import { HMAC_KEY_SECRET_NAME, startSecretsManager } from './secrets-manager';
import { startSmtpIntake } from './smtp';
import { localStateMachineArn, startStepFunctionsService } from './stepfunctions';

/** The state machine's name locally; on AWS the CDK stack names it. */
export const FULFILMENT_STATE_MACHINE = 'fulfilment';

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
  /**
   * Requests per minute per client on each public intake route. Local tests share one address
   * (127.0.0.1) and one stack, so the default is high; a test of the limit sets its own.
   * @default PUBLIC_RATE_LIMIT_PER_MINUTE from the environment, else 100000
   */
  readonly publicRateLimitPerMinute?: number;
  /**
   * The organisation's residences and floor (domain/policy/organisation.ts).
   * @default ORGANISATION_SETTINGS from the environment (JSON), else the demo shop's
   */
  readonly organisationSettings?: OrganisationSettings;
  /**
   * Another data-store registry than the demo organisation's (e.g. one with a
   * manual store), read by the fulfilment handlers at their first use.
   * @default process.env.DSAR_STORE_REGISTRY_FILE, else config/data-stores.demo.json
   */
  readonly storeRegistryFile?: string;
  /**
   * How often the timer sweep runs, as an EventBridge schedule would run it on AWS; 0 never (a test
   * that drives the sweep with its own clock). @default SWEEP_EVERY_MS from the environment, else 60000
   */
  readonly sweepEveryMs?: number;
  readonly log?: (line: string) => void;
}

export interface LocalStackUrls {
  readonly api: string;
  readonly openapi: string;
  /** JWKS of the local console token issuer (`npx dsar token` signs with its key). */
  readonly consoleJwks: string;
  readonly outbox: string;
  /** The SMS outbox page (SNS Publish lands here); `<smsOutbox>.json` lists the messages. */
  readonly smsOutbox: string;
  readonly smtp: string;
  readonly smtpPort: number;
  readonly dynamodb: string;
  readonly s3: string;
  readonly lambda: string;
  readonly stepFunctions: string;
  /** The local Secrets Manager endpoint (GetSecretValue over the secrets the stack creates). */
  readonly secretsManager: string;
  /** The local KMS endpoint (GenerateMac and VerifyMac with the audit trail's key). */
  readonly kms: string;
  /** The demo newsletter processor's OpenDSR endpoint. */
  readonly processor: string;
  /** The fake processor's portability inbox: the one endpoint a local push may reach. */
  readonly portabilityInbox: string;
  readonly stateDir: string;
}

export interface LocalStack {
  readonly urls: LocalStackUrls;
  stop(): Promise<void>;
}

/**
 * Invokes the sweep function every `everyMs` over the Lambda Invoke API, as an
 * EventBridge schedule does on AWS (asynchronously, without waiting). The
 * timer is unref'd so it never keeps the process alive on its own.
 */
function startSweepSchedule(lambda: LambdaClient, everyMs: number, log: (line: string) => void) {
  const timer = setInterval(() => {
    lambda
      .send(new InvokeCommand({ FunctionName: SWEEP_REQUESTS.id, InvocationType: 'Event', Payload: '{}' }))
      .catch((error: unknown) =>
        log(`[local schedule] sweep not invoked: ${error instanceof Error ? error.name : typeof error}`),
      );
  }, everyMs);
  timer.unref();
  return { stop: async () => clearInterval(timer) };
}

/**
 * A local secret (the HMAC key that hashes identifiers, codes and tokens; a
 * processor's callback secret). Kept in the state directory so that hashes
 * stay valid across restarts; a new one is made on reset.
 */
async function localSecret(stateDir: string, name: string): Promise<string> {
  const file = join(stateDir, name);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const key = randomBytes(32).toString('base64url');
    await writeFile(file, key, { mode: 0o600 });
    return key;
  }
}

/** Read by adapters/config/store-registry.ts (not imported here: that module imports the bundled registry). */
const STORE_REGISTRY_FILE_VARIABLE = 'DSAR_STORE_REGISTRY_FILE';

/** The registry file for the handlers, as an absolute path. */
function storeRegistryEnvironment(file: string | undefined): Record<string, string> {
  return file ? { [STORE_REGISTRY_FILE_VARIABLE]: resolve(file) } : {};
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
    const [dynamodb, s3Server, outbox, postgres] = await Promise.all([
      startDynamoDbLocal({ stateDir }),
      startS3Server({ stateDir }),
      startOutbox({ stateDir }),
      startPostgres({ stateDir }),
    ]);
    stops.push(dynamodb.stop, s3Server.stop, outbox.stop, postgres.stop);
    await seedDemoPostgres(postgres.url);
    // The demo's downstream recipient (a newsletter processor), told to delete over OpenDSR.
    const processorSecret = await localSecret(stateDir, 'newsletter-processor-callback');
    const processor = await startFakeProcessor({
      secret: processorSecret,
      completionDelayMs: 2_000,
      subjects: DEMO_PEOPLE.map(newsletterSubscriberOf),
    });
    stops.push(processor.stop);
    // Secrets the functions read at run time, as on AWS. The values are kept in the
    // state directory, so hashes made before a restart still verify after it.
    const secretsManager = await startSecretsManager({
      secrets: [{ name: HMAC_KEY_SECRET_NAME, value: await localSecret(stateDir, 'pipeline-hmac-key') }],
    });
    stops.push(secretsManager.stop);
    // The audit trail's HMAC key, behind a local KMS endpoint: the functions make MACs through the SDK
    // as on AWS. Kept in the state directory, so a restarted stack's trails still verify.
    const kms = await startKms({
      trailKey: Buffer.from(await localSecret(stateDir, 'audit-trail-key'), 'base64url'),
    });
    stops.push(kms.stop);

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
    const stepFunctionsPort = await findFreePort();
    const stepFunctionsUrl = `http://127.0.0.1:${stepFunctionsPort}`;
    const env: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_S3: s3Server.endpoint,
      AWS_ENDPOINT_URL_SESV2: outbox.endpoint,
      // SMS codes go through SNS Publish, which the outbox also answers (local/sms-outbox.ts).
      AWS_ENDPOINT_URL_SNS: outbox.endpoint,
      SMS_PROVIDER: 'sns',
      AWS_ENDPOINT_URL_LAMBDA: lambdaUrl,
      AWS_ENDPOINT_URL_SFN: stepFunctionsUrl,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
      AWS_ENDPOINT_URL_KMS: kms.url,
      [AUDIT_TRAIL_KEY_VARIABLE]: LOCAL_TRAIL_KEY_ARN,
      FULFILMENT_STATE_MACHINE_ARN: localStateMachineArn(FULFILMENT_STATE_MACHINE),
      // A person answers a manual store within hours on AWS; locally, poll every few seconds.
      AGENT_POLL_SECONDS: process.env.AGENT_POLL_SECONDS ?? '5',
      // The reconciler asks about executions every sweep (every 10 minutes on AWS, for the API quota).
      RECONCILE_EVERY_MINUTES: process.env.RECONCILE_EVERY_MINUTES ?? '1',
      // Destructive types wait 24 h after verification by default (policy destructiveWaitHours); the demo
      // carries them out at once, as its tests expect. Set it to try the wait (app/timers/end-fulfilment-wait.ts).
      DESTRUCTIVE_WAIT_HOURS: process.env.DESTRUCTIVE_WAIT_HOURS ?? '0',
      S3_FORCE_PATH_STYLE: 'true',
      // As the EmailIntake construct sets it; local/smtp.ts stores mail under the same prefix.
      INBOUND_MAIL_PREFIX: 'inbound/',
      ...tableNames,
      ...bucketNames,
      [HMAC_KEY_SECRET_VARIABLE]: secretsManager.arnOf(HMAC_KEY_SECRET_NAME),
      // Registered stores: the demo loyalty database and the newsletter processor's local address.
      PG_LOYALTY_URL: postgres.url,
      PROCESSOR_ENDPOINTS: JSON.stringify({ 'newsletter-processor': processor.url }),
      // The only processor reached over plain http, and on 127.0.0.1: never set on AWS, where a
      // processor endpoint must be https:// and resolve to public addresses (adapters/aws/connector-factory.ts).
      PROCESSOR_HTTP_ORIGINS: new URL(processor.url).origin,
      // The only exception to the portability push's address guard: the fake processor on 127.0.0.1
      // (over http). Never set on AWS, where every recipient must be a public https address.
      PORTABILITY_ALLOWED_ORIGINS: new URL(processor.portabilityInbox).origin,
      ...storeRegistryEnvironment(options.storeRegistryFile ?? process.env[STORE_REGISTRY_FILE_VARIABLE]),
      DEFAULT_POLICY_ID: options.defaultPolicyId ?? process.env.DEFAULT_POLICY_ID ?? 'caftrade',
      [ORGANISATION_SETTINGS_VARIABLE]: options.organisationSettings
        ? JSON.stringify(options.organisationSettings)
        : (process.env[ORGANISATION_SETTINGS_VARIABLE] ?? JSON.stringify(DEMO_ORGANISATION_SETTINGS)),
      PUBLIC_RATE_LIMIT_PER_MINUTE: String(
        options.publicRateLimitPerMinute ?? process.env.PUBLIC_RATE_LIMIT_PER_MINUTE ?? 100_000,
      ),
      SENDER_ADDRESS: 'privacy@demo-shop.local',
      // Where the timer sweep sends reminders (unassigned requests) and breach alerts.
      CONSOLE_TEAM_ADDRESS: process.env.CONSOLE_TEAM_ADDRESS ?? 'privacy-team@demo.example',
      CONSOLE_SUPERVISORS_ADDRESS:
        process.env.CONSOLE_SUPERVISORS_ADDRESS ?? 'privacy-supervisors@demo.example',
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

    // Started after the Lambda service: executions it finds RUNNING from a
    // previous run are restarted at once, and their tasks need the handlers.
    const stepFunctions = await startStepFunctionsService({
      stateMachines: [
        {
          name: FULFILMENT_STATE_MACHINE,
          definitionPath: join(REPO_ROOT, 'statemachines', 'fulfilment.asl.json'),
          substitutions: Object.fromEntries(
            PIPELINE_FUNCTIONS.map((definition) => [
              `${definition.id}FunctionArn`,
              localFunctionArn(definition.id),
            ]),
          ),
        },
      ],
      stateDir,
      port: stepFunctionsPort,
      lambdaEndpoint: lambda.url,
    });
    stops.push(stepFunctions.stop);
    if (stepFunctions.restartedExecutionArns.length > 0) {
      log(`Restarted ${stepFunctions.restartedExecutionArns.length} interrupted fulfilment execution(s).`);
    }

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

    const lambdaClient = new LambdaClient({
      endpoint: lambda.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    stops.push(async () => lambdaClient.destroy());
    const smtp = await startSmtpIntake({
      port: options.smtpPort ?? 2525,
      s3: s3Client,
      inboundBucket: bucketNames.INBOUND_BUCKET!,
      lambda: lambdaClient,
      functionName: EMAIL_INTAKE.id,
    });
    stops.push(smtp.stop);

    const sweepEveryMs = options.sweepEveryMs ?? Number(process.env.SWEEP_EVERY_MS ?? 60_000);
    if (sweepEveryMs > 0) {
      const schedule = startSweepSchedule(lambdaClient, sweepEveryMs, log);
      stops.push(schedule.stop);
    }

    await writeLocalEndpoints(stateDir, {
      api: apiUrl,
      lambda: lambda.url,
      outbox: `${outbox.endpoint}/outbox`,
      smsOutbox: `${outbox.endpoint}/sms`,
      dynamodb: dynamodb.endpoint,
      s3: s3Server.endpoint,
      kms: kms.url,
    });
    stops.push(() => removeLocalEndpoints(stateDir));

    return {
      urls: {
        api: apiUrl,
        openapi: `${apiUrl}/openapi.json`,
        consoleJwks: consoleIssuer.config.jwksUrl,
        outbox: `${outbox.endpoint}/outbox`,
        smsOutbox: `${outbox.endpoint}/sms`,
        smtp: smtp.url,
        smtpPort: smtp.port,
        dynamodb: dynamodb.endpoint,
        s3: s3Server.endpoint,
        lambda: lambda.url,
        stepFunctions: stepFunctions.url,
        secretsManager: secretsManager.url,
        kms: kms.url,
        processor: processor.url,
        portabilityInbox: processor.portabilityInbox,
        stateDir,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
