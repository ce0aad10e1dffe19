/**
 * The one place that turns a registry entry into a connector: the state
 * machine's fulfilment tasks call `createConnector(store, deps)` and never
 * name an implementation. Clients come in as dependencies so that a Lambda
 * creates them once at module scope and local mode points them at the
 * local endpoints.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { PermanentError } from '../domain/errors';
import type { SecretReference, StoreDefinition } from '../domain/stores/schema';
import type { BackoffOptions } from './backoff';
import { type Connector, ConnectorPermanentError } from './contract';
import { DynamoDbConnector } from './dynamodb/connector';
import {
  HttpProcessorConnector,
  type ProcessorTransport,
  processorEndpointProblem,
} from './http-processor/http-processor-connector';
import { ManualConnector, type ManualTaskLog } from './manual/manual-connector';
import { PostgresConnector } from './postgres/postgres-connector';
import { S3Connector } from './s3/connector';

export interface ConnectorDeps {
  readonly dynamoDb?: DynamoDBClient;
  readonly s3?: S3Client;
  /** Retry timing for throttled calls and unprocessed batch items. */
  readonly backoff?: BackoffOptions;
  /** How long one DynamoDB or S3 call may wait for an answer. @default 10_000 */
  readonly callTimeoutMs?: number;
  /** Where postgres stores' `PG_<CONNECTION>_URL` is read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Processor endpoints by store id, replacing the registry's (local mode's fake processor). */
  readonly processorEndpoints?: Readonly<Record<string, string>>;
  /**
   * Origins a processor may be reached at over plain http: local mode's fake
   * processor only (PROCESSOR_HTTP_ORIGINS); empty on AWS, where every
   * processor endpoint must be https://.
   */
  readonly processorHttpOrigins?: readonly string[];
  /** How processors are called (on AWS: through the outbound guard). @default fetch, no redirects, capped */
  readonly processorTransport?: ProcessorTransport;
  /** The pipeline's callback route, given to processors as `status_callback_urls`. */
  readonly processorCallbackUrl?: string;
  /** The console's task store, where manual stores' tasks are opened and their outcomes read. */
  readonly manualTasks?: ManualTaskLog;
  /**
   * Reads a Secrets Manager secret's text by ARN or name (the functions pass
   * their cached Powertools reader): stores whose registry entry names a
   * `connectionSecret` or `credentialsSecret` need it.
   */
  readonly readSecret?: (secretId: string) => Promise<string>;
}

/** What the runtime asks Secrets Manager for: the ARN, else the name (resolved in the function's own account and region). */
export function secretIdOf(reference: SecretReference): string {
  return reference.arn ?? reference.name ?? '';
}

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A processor's credentials secret: a JSON object of header names to values. */
function credentialHeaders(storeId: string, text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const valid =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.entries(parsed).every(([name, value]) => HEADER_NAME.test(name) && typeof value === 'string');
  if (!valid) {
    // Never the values: they are credentials.
    throw new ConnectorPermanentError(storeId, 'the credentials secret is not a JSON object of HTTP headers');
  }
  return parsed as Record<string, string>;
}

/** A store kind this build has no connector for. */
export class UnsupportedStoreKind extends PermanentError {
  override readonly name = 'UnsupportedStoreKind' as const;
  readonly code = 'unsupported-store-kind';
  constructor(
    readonly storeId: string,
    // A string, not StoreKind: the kind may come from a registry newer than this build.
    readonly kind: string,
  ) {
    super(`${storeId}: no connector for store kind '${kind}'`);
  }
}

/** A connector was asked for without the client it needs. */
export class MissingConnectorDependency extends PermanentError {
  override readonly name = 'MissingConnectorDependency' as const;
  readonly code = 'missing-connector-dependency';
  constructor(
    readonly storeId: string,
    readonly dependency: keyof ConnectorDeps,
  ) {
    super(`${storeId}: the ${String(dependency)} client was not given`);
  }
}

function required<K extends keyof ConnectorDeps>(
  store: StoreDefinition,
  deps: ConnectorDeps,
  dependency: K,
): NonNullable<ConnectorDeps[K]> {
  const value = deps[dependency];
  if (value === undefined) throw new MissingConnectorDependency(store.id, dependency);
  return value as NonNullable<ConnectorDeps[K]>;
}

export function createConnector(store: StoreDefinition, deps: ConnectorDeps): Connector {
  switch (store.kind) {
    case 'dynamodb':
      return new DynamoDbConnector(store, {
        client: required(store, deps, 'dynamoDb'),
        ...(deps.backoff ? { backoff: deps.backoff } : {}),
        ...(deps.callTimeoutMs === undefined ? {} : { callTimeoutMs: deps.callTimeoutMs }),
      });
    case 's3':
      return new S3Connector(store, {
        client: required(store, deps, 's3'),
        ...(deps.backoff ? { backoff: deps.backoff } : {}),
        ...(deps.callTimeoutMs === undefined ? {} : { callTimeoutMs: deps.callTimeoutMs }),
      });
    case 'postgres': {
      const secret = store.postgres.connectionSecret;
      if (secret !== undefined) {
        const readSecret = required(store, deps, 'readSecret');
        return new PostgresConnector(store, { readConnectionString: () => readSecret(secretIdOf(secret)) });
      }
      return new PostgresConnector(store, deps.env ? { env: deps.env } : {});
    }
    case 'http-processor': {
      const endpoint = deps.processorEndpoints?.[store.id];
      const problem = processorEndpointProblem(
        endpoint ?? store.httpProcessor.endpoint,
        deps.processorHttpOrigins ?? [],
      );
      if (problem !== undefined) {
        throw new ConnectorPermanentError(store.id, `the processor endpoint ${problem}`);
      }
      const secret = store.httpProcessor.credentialsSecret;
      const readSecret = secret === undefined ? undefined : required(store, deps, 'readSecret');
      return new HttpProcessorConnector(store, {
        ...(endpoint ? { endpoint } : {}),
        ...(deps.processorCallbackUrl ? { callbackUrl: deps.processorCallbackUrl } : {}),
        ...(deps.processorTransport ? { transport: deps.processorTransport } : {}),
        ...(secret !== undefined && readSecret !== undefined
          ? {
              readCredentialHeaders: async () =>
                credentialHeaders(store.id, await readSecret(secretIdOf(secret))),
            }
          : {}),
      });
    }
    case 'manual':
      return new ManualConnector(store, required(store, deps, 'manualTasks'));
    default:
      // A kind from a registry newer than this build: fail by name rather than return undefined.
      throw new UnsupportedStoreKind((store as StoreDefinition).id, (store as StoreDefinition).kind);
  }
}
