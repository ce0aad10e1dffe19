/**
 * The production ConnectorFactory (app/fulfilment/ports.ts): connectors for the
 * registered stores, built once per Lambda container from the module-scope SDK
 * clients (whose endpoints local mode redirects). A manual store's connector is
 * built per request instead: its task log is that request's record.
 */

import { RequestTaskLog } from '../../app/fulfilment/manual-tasks';
import type { ConnectorFactory } from '../../app/fulfilment/ports';
import { systemClock } from '../../app/ports';
import type { Connector } from '../../connectors/contract';
import { createConnector } from '../../connectors/factory';
import { storeById } from '../config/store-registry';
import { dynamoDb } from './clients/dynamodb';
import { s3 } from './clients/s3';
import { requestRepository } from './request-store';
import { readSecret } from './secrets';

const connectors = new Map<string, Connector>();

/**
 * Processor endpoints that differ from the registry's, by store id (JSON in
 * PROCESSOR_ENDPOINTS): local mode's fake processor listens on a free port.
 */
function processorEndpoints(): { processorEndpoints?: Record<string, string> } {
  const json = process.env.PROCESSOR_ENDPOINTS;
  return json ? { processorEndpoints: JSON.parse(json) as Record<string, string> } : {};
}

/** The connector of a store, for work on `requestId` (manual stores record their tasks on it). */
export function connectorFor(storeId: string, requestId: string): Connector {
  const store = storeById(storeId);
  if (store.kind === 'manual') {
    return createConnector(store, {
      manualTasks: new RequestTaskLog(requestRepository, requestId, systemClock),
    });
  }
  let connector = connectors.get(storeId);
  if (!connector) {
    connector = createConnector(store, { dynamoDb, s3, readSecret, ...processorEndpoints() });
    connectors.set(storeId, connector);
  }
  return connector;
}

export const connectorFactory: ConnectorFactory = { connectorFor };
