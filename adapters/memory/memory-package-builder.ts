/** A PackageBuilder for unit tests: remembers each input and answers a package of the staged counts. */
import type { ExportPackageInput, ExportPackageResult, PackageBuilder } from '../../app/fulfilment/ports';

export class MemoryPackageBuilder implements PackageBuilder {
  readonly built: ExportPackageInput[] = [];

  async build(input: ExportPackageInput): Promise<ExportPackageResult> {
    this.built.push(input);
    const files = input.stores.flatMap((store) => [
      { name: `${store.storeId}.json`, sha256: '0'.repeat(64), bytes: 2 },
      { name: `${store.storeId}.csv`, sha256: '1'.repeat(64), bytes: 2 },
    ]);
    return {
      packageKey: `${input.requestId}/package.zip`,
      files,
      totalRecords: input.stores.reduce((sum, store) => sum + store.recordCount, 0),
      packageBytes: 100,
      packageSha256: 'f'.repeat(64),
    };
  }
}
