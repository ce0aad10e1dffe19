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
import type { ProcessorTransport } from '../../connectors/http-processor/http-processor-connector';
import { storeById } from '../config/store-registry';
import { allowedPortabilityOrigins, guardedRequest, pinEndpoint } from '../net/outbound-guard';
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

/**
 * Origins a processor may be reached at over plain http, and whose addresses
 * are not checked (PROCESSOR_HTTP_ORIGINS, comma-separated): only local mode
 * sets it, to its fake processor on 127.0.0.1. Unset on AWS.
 */
function processorHttpOrigins(): string[] {
  return allowedPortabilityOrigins(process.env.PROCESSOR_HTTP_ORIGINS);
}

/**
 * Processors are called through the portability pushes' outbound guard: every
 * address the host resolves to must be public (unless its origin is allowed
 * above), the connection goes to the address checked, no redirect is followed,
 * the answer is read up to the connector's cap.
 */
const processorTransport: ProcessorTransport = async (request) => {
  const endpoint = await pinEndpoint(request.url, { allowedOrigins: processorHttpOrigins() });
  const answer = await guardedRequest({
    endpoint,
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    timeoutMs: request.timeoutMs,
    idleTimeoutMs: request.timeoutMs,
    maxAnswerBytes: request.maxBytes,
  });
  return { status: answer.status, body: answer.body, oversize: answer.truncated };
};

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
    connector = createConnector(store, {
      dynamoDb,
      s3,
      readSecret,
      ...processorEndpoints(),
      processorHttpOrigins: processorHttpOrigins(),
      processorTransport,
    });
    connectors.set(storeId, connector);
  }
  return connector;
}

export const connectorFactory: ConnectorFactory = { connectorFor };
