/**
 * Connectors for the registered stores, built once per Lambda container from
 * the module-scope SDK clients (whose endpoints local mode redirects).
 */
import type { Connector } from '../../connectors/contract';
import { createConnector } from '../../connectors/factory';
import { dynamoDb } from '../shared/clients/dynamodb';
import { s3 } from '../shared/clients/s3';
import { readSecret } from '../shared/secrets';
import { storeById } from './store-registry';

const connectors = new Map<string, Connector>();

/**
 * Processor endpoints that differ from the registry's, by store id (JSON in
 * PROCESSOR_ENDPOINTS): local mode's fake processor listens on a free port.
 */
function processorEndpoints(): { processorEndpoints?: Record<string, string> } {
  const json = process.env.PROCESSOR_ENDPOINTS;
  return json ? { processorEndpoints: JSON.parse(json) as Record<string, string> } : {};
}

export function connectorFor(storeId: string): Connector {
  let connector = connectors.get(storeId);
  if (!connector) {
    connector = createConnector(storeById(storeId), { dynamoDb, s3, readSecret, ...processorEndpoints() });
    connectors.set(storeId, connector);
  }
  return connector;
}
