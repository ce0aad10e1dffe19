import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ConnectorPermanentError } from '../../../connectors/contract';
import { DynamoDbConnector } from '../../../connectors/dynamodb/connector';
import {
  createConnector,
  MissingConnectorDependency,
  UnsupportedStoreKind,
} from '../../../connectors/factory';
import { S3Connector } from '../../../connectors/s3/connector';
import { storeById } from '../../../domain/stores/registry';
import type { StoreDefinition } from '../../../domain/stores/schema';
import { loadDemoRegistry } from '../../../local/demo/registry';

type Pg = Extract<StoreDefinition, { kind: 'postgres' }>;
type Http = Extract<StoreDefinition, { kind: 'http-processor' }>;

const demo = loadDemoRegistry();
const deps = {
  dynamoDb: new DynamoDBClient({ region: 'us-east-1' }),
  s3: new S3Client({ region: 'us-east-1' }),
  // The demo registry's processor is local mode's fake one, on plain http.
  processorHttpOrigins: ['http://127.0.0.1:4791'],
};

describe('createConnector', () => {
  it.each([
    ['accounts', DynamoDbConnector],
    ['uploads', S3Connector],
  ] as const)('builds the %s connector from its kind', (storeId, implementation) => {
    const connector = createConnector(storeById(demo, storeId), deps);
    expect(connector).toBeInstanceOf(implementation);
    expect(connector.store.id).toBe(storeId);
  });

  it('names the missing client rather than failing on the first call', () => {
    expect(() => createConnector(storeById(demo, 'orders'), { s3: deps.s3 })).toThrow(
      MissingConnectorDependency,
    );
  });

  it.each([
    [
      'loyalty',
      (store: StoreDefinition) => ({
        ...store,
        postgres: { ...(store as Pg).postgres, connectionSecret: { name: 'dsar/db' } },
      }),
    ],
    [
      'newsletter-processor',
      (store: StoreDefinition) => ({
        ...store,
        httpProcessor: { ...(store as Http).httpProcessor, credentialsSecret: { name: 'dsar/api' } },
      }),
    ],
  ] as const)(
    'needs a secret reader for %s when its registry entry names a secret',
    (storeId, withSecret) => {
      const store = withSecret(storeById(demo, storeId)) as StoreDefinition;
      expect(() => createConnector(store, deps)).toThrow(MissingConnectorDependency);
      expect(() => createConnector(store, { ...deps, readSecret: async () => '{}' })).not.toThrow();
    },
  );

  describe('a processor endpoint', () => {
    const newsletter = storeById(demo, 'newsletter-processor') as Http;
    const at = (endpoint: string): Http => ({
      ...newsletter,
      httpProcessor: { ...newsletter.httpProcessor, endpoint },
    });

    it('must be https:// outside local mode, by the registry or by an override', () => {
      const { processorHttpOrigins: _localOnly, ...aws } = deps;
      expect(() => createConnector(newsletter, aws)).toThrow(
        /newsletter-processor: the processor endpoint must be an https:\/\/ URL/,
      );
      expect(() =>
        createConnector(at('https://dsr.processor.example/opendsr'), {
          ...aws,
          processorEndpoints: { 'newsletter-processor': 'http://dsr.processor.example/opendsr' },
        }),
      ).toThrow(ConnectorPermanentError);
      expect(() => createConnector(at('https://dsr.processor.example/opendsr'), aws)).not.toThrow();
    });

    it('may be plain http only on an origin local mode allows', () => {
      expect(() => createConnector(newsletter, deps)).not.toThrow();
      expect(() => createConnector(at('http://127.0.0.1:4792/opendsr'), deps)).toThrow(
        ConnectorPermanentError,
      );
    });

    it('may not carry credentials in its URL', () => {
      expect(() => createConnector(at('https://user:pw@dsr.processor.example/opendsr'), deps)).toThrow(
        /user name or password/,
      );
    });
  });

  it('refuses a kind this build has no connector for with UnsupportedStoreKind', () => {
    const future = { ...storeById(demo, 'accounts'), kind: 'mainframe' } as unknown as StoreDefinition;
    expect(() => createConnector(future, deps)).toThrow(UnsupportedStoreKind);
  });
});
