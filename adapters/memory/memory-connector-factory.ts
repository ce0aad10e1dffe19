/**
 * A ConnectorFactory over connectors the test hands in, by store id; it remembers which connector was
 * asked for which request. An unknown store fails as the registry would.
 */
import type { ConnectorFactory } from '../../app/fulfilment/ports';
import type { Connector } from '../../connectors/contract';
import { UnknownStore } from '../../domain/stores/registry';

export class MemoryConnectorFactory implements ConnectorFactory {
  readonly requested: { storeId: string; requestId: string }[] = [];

  constructor(private readonly connectors: Readonly<Record<string, Connector>>) {}

  connectorFor(storeId: string, requestId: string): Connector {
    this.requested.push({ storeId, requestId });
    const connector = this.connectors[storeId];
    if (!connector) throw new UnknownStore(storeId);
    return connector;
  }
}
