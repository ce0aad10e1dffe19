/** A StagingArea in memory, for unit tests: the staged records by key (`<requestId>/<storeId>.jsonl`). */
import type { StagingArea } from '../../app/fulfilment/ports';
import type { ExportedRecord } from '../../connectors/contract';

export class MemoryStagingArea implements StagingArea {
  readonly objects = new Map<string, ExportedRecord[]>();

  async stage(requestId: string, storeId: string, records: AsyncIterable<ExportedRecord>) {
    const key = `${requestId}/${storeId}.jsonl`;
    const staged: ExportedRecord[] = [];
    for await (const record of records) staged.push(structuredClone(record));
    this.objects.set(key, staged);
    return { key, recordCount: staged.length };
  }
}
