/** The anchors and trail heads in memory (app/audit/ports.ts AnchorStore, TrailHeads), for unit tests. */
import type { AnchorStore, TrailHeads } from '../../app/audit/ports';
import type { AnchorLeaf, TrailAnchor } from '../../domain/audit-anchor';

/** Every anchor written, in order; the latest is the one with the latest instant, as the key order gives on S3. */
export class MemoryAnchorStore implements AnchorStore {
  readonly written: TrailAnchor[] = [];

  async latest(): Promise<TrailAnchor | undefined> {
    const sorted = [...this.written].sort((a, b) => (a.anchoredAt < b.anchoredAt ? -1 : 1));
    const last = sorted.at(-1);
    return last === undefined ? undefined : structuredClone(last);
  }

  async write(anchor: TrailAnchor): Promise<void> {
    this.written.push(structuredClone(anchor));
  }
}

/** The heads given (change `leaves` to move them), `pageSize` a page. */
export class MemoryTrailHeads implements TrailHeads {
  constructor(
    public leaves: AnchorLeaf[] = [],
    private readonly pageSize = 1000,
  ) {}

  async *heads(): AsyncIterable<readonly AnchorLeaf[]> {
    for (let offset = 0; offset < this.leaves.length; offset += this.pageSize) {
      yield this.leaves.slice(offset, offset + this.pageSize);
    }
  }
}
