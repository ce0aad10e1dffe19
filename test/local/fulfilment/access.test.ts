import { execFileSync } from 'node:child_process';
import { describe, expect, inject, it } from 'vitest';
import { DEMO_PEOPLE } from '../../../local/demo/organisation';
import { pipelineTables } from '../support/pipeline';
import {
  downloadLinkIn,
  downloadPackage,
  mailAbout,
  sha256,
  submitAndVerify,
  unzipFile,
  waitForStatus,
} from './support';

const [LI_LEI, ...OTHERS] = DEMO_PEOPLE;

describe('an access request, from verification to the download', () => {
  it("ends with a link to a zip of exactly the subject's records from every store, with valid digests", async () => {
    const stack = inject('stack');
    const { requestId } = await submitAndVerify(stack, { type: 'access', subject: { email: LI_LEI!.email } });

    const record = await waitForStatus(stack, requestId, ['fulfilled', 'partially-fulfilled']);
    expect(record.status).toBe('fulfilled');
    const planned = record.fulfilment!.plannedStores;
    expect(planned.length).toBeGreaterThanOrEqual(8);

    const mail = await mailAbout(stack, LI_LEI!.email, requestId, /download/i);
    const zip = await downloadPackage(downloadLinkIn(mail));
    execFileSync('unzip', ['-tq', zip]);

    const manifest = JSON.parse(unzipFile(zip, 'manifest.json').toString('utf8')) as {
      files: { name: string; sha256: string; bytes: number }[];
      stores: { storeId: string; recordCount: number }[];
    };
    for (const file of manifest.files) {
      const bytes = unzipFile(zip, file.name);
      expect(sha256(bytes), file.name).toBe(file.sha256);
      expect(bytes.byteLength, file.name).toBe(file.bytes);
    }
    expect(manifest.stores.map((store) => store.storeId).sort()).toEqual([...planned].sort());

    for (const store of manifest.stores) {
      const records = JSON.parse(unzipFile(zip, `${store.storeId}.json`).toString('utf8')) as unknown[];
      expect(records, store.storeId).toHaveLength(store.recordCount);
      expect(store.recordCount, `${store.storeId} holds data about the subject`).toBeGreaterThan(0);
      const text = JSON.stringify(records);
      // Nothing of any other person, by any of their identifiers.
      for (const other of OTHERS) {
        for (const identifier of [other.email, other.accountId, other.phone]) {
          expect(text, `${store.storeId} leaks another subject`).not.toContain(identifier);
        }
      }
    }
  });

  it('records one package and one delivery on the request and the trail verifies', async () => {
    const stack = inject('stack');
    const { requestId } = await submitAndVerify(stack, { type: 'copy', subject: { email: LI_LEI!.email } });
    const record = await waitForStatus(stack, requestId, ['fulfilled', 'partially-fulfilled']);
    expect(record.fulfilment?.package?.key).toBe(`${requestId}/package.zip`);
    const trail = await pipelineTables(stack).auditTrail(requestId);
    const kinds = trail.map((event) => event.type);
    expect(kinds.filter((kind) => kind === 'package-created')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'download-link-issued')).toHaveLength(1);
    const { verifyChain } = await import('../../../domain/audit');
    expect(verifyChain(trail)).toEqual({ intact: true });
  });
});
