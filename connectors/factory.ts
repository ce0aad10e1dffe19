/**
 * The one place that turns a registry entry into a connector: the state
 * machine's fulfilment tasks call `createConnector(store, deps)` and never
 * name an implementation. Clients come in as dependencies so that a Lambda
 * creates them once at module scope and local mode points them at the
 * local endpoints.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { StoreDefinition, StoreKind } from '../domain/stores/schema';
import type { BackoffOptions } from './backoff';
import type { Connector } from './contract';
import { DynamoDbConnector } from './dynamodb/connector';
import { S3Connector } from './s3/connector';

export interface ConnectorDeps {
  readonly dynamoDb?: DynamoDBClient;
  readonly s3?: S3Client;
  /** Retry timing for throttled calls and unprocessed batch items. */
  readonly backoff?: BackoffOptions;
}

/** A store kind this build has no connector for. */
export class UnsupportedStoreKind extends Error {
  override readonly name = 'UnsupportedStoreKind' as const;
  constructor(
    readonly storeId: string,
    readonly kind: StoreKind,
  ) {
    super(`${storeId}: no connector for store kind '${kind}'`);
  }
}

/** A connector was asked for without the client it needs. */
export class MissingConnectorDependency extends Error {
  override readonly name = 'MissingConnectorDependency' as const;
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
      });
    case 's3':
      return new S3Connector(store, {
        client: required(store, deps, 's3'),
        ...(deps.backoff ? { backoff: deps.backoff } : {}),
      });
    case 'postgres':
    case 'http-processor':
    case 'manual':
      throw new UnsupportedStoreKind(store.id, store.kind);
  }
}
