import { describe, expect, it } from 'vitest';
import { MemoryDownloadLinks } from '../../../../adapters/memory/memory-download-links';
import { MemoryPackageDeleter } from '../../../../adapters/memory/memory-package-deleter';
import type { MemoryRequestRepository } from '../../../../adapters/memory/memory-request-repository';
import { closeRequest } from '../../../../app/fulfilment/close-request';
import { getPolicy } from '../../../../domain/policy/registry';
import { aRequest } from '../../console/builders';
import { AT, fixedClock, fulfilmentOf, NOW, REQUEST_ID, repositoryWith } from './support';

function closeDeps(
  requests: MemoryRequestRepository,
  links = new MemoryDownloadLinks(requests),
  packages = new MemoryPackageDeleter(),
) {
  return { requests, clock: fixedClock, links, packages };
}

const exported = { status: 'exported', recordCount: 2, stagingKey: 'k', at: AT } as const;
const erased = {
  status: 'erased',
  deleted: 3,
  anonymised: 0,
  retained: 0,
  retainedBases: [],
  remaining: 0,
  at: AT,
} as const;

describe('closeRequest', () => {
  it('closes as fulfilled when every planned store finished', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['accounts', 'orders'], { accounts: exported, orders: exported }),
    });

    const output = await closeRequest(closeDeps(requests), { requestId: REQUEST_ID });

    expect(output).toEqual({ requestId: REQUEST_ID, status: 'fulfilled' });
    expect((await requests.trail(REQUEST_ID)).at(-1)).toMatchObject({
      type: 'status-changed',
      at: AT,
      details: { from: 'in-progress', to: 'fulfilled' },
    });
  });

  it('closes as partially fulfilled with the missing stores as the reason', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['accounts', 'orders'], {
        accounts: exported,
        orders: { status: 'failed', reason: 'ConnectorPermanentError: gone', at: AT },
      }),
    });

    const output = await closeRequest(closeDeps(requests), { requestId: REQUEST_ID });

    expect(output.status).toBe('partially-fulfilled');
    const last = (await requests.trail(REQUEST_ID)).at(-1);
    expect(last?.details).toMatchObject({ to: 'partially-fulfilled' });
    expect(String(last?.details?.reason)).toContain('orders');
  });

  it("records the policy's backup caveat on an erasure", async () => {
    const { requests } = await repositoryWith({
      type: 'deletion',
      status: 'in-progress',
      fulfilment: fulfilmentOf('erase', ['accounts'], { accounts: erased }),
    });

    await closeRequest(closeDeps(requests), { requestId: REQUEST_ID });

    const stored = await requests.get(REQUEST_ID);
    expect(stored.fulfilment?.backupCaveat).toBe(getPolicy(stored.policyId).backupCaveat);
  });

  it('changes nothing when run a second time', async () => {
    const { requests } = await repositoryWith({
      status: 'in-progress',
      fulfilment: fulfilmentOf('export', ['accounts'], { accounts: exported }),
    });
    await closeRequest(closeDeps(requests), { requestId: REQUEST_ID });
    const trail = await requests.trail(REQUEST_ID);

    const second = await closeRequest(closeDeps(requests), { requestId: REQUEST_ID });

    expect(second.status).toBe('fulfilled');
    expect(await requests.trail(REQUEST_ID)).toEqual(trail);
  });

  it('moves a partially fulfilled request on to fulfilled once a redrive completed it', async () => {
    const { requests } = await repositoryWith({
      status: 'partially-fulfilled',
      fulfilment: fulfilmentOf('export', ['accounts'], { accounts: exported }),
    });

    const output = await closeRequest(closeDeps(requests), { requestId: REQUEST_ID });

    expect(output.status).toBe('fulfilled');
  });

  describe("an erasure withdraws the subject's earlier packages", () => {
    const EARLIER = 'dsr-00000000-0000-4000-8000-0000000000e1';
    const OTHER_SUBJECT = 'dsr-00000000-0000-4000-8000-0000000000e2';
    const packageOf = (requestId: string) => ({
      key: `${requestId}/package.zip`,
      files: [],
      totalRecords: 1,
      at: '2025-03-05T00:00:00.000Z',
    });

    async function given() {
      const { requests } = await repositoryWith({
        type: 'deletion',
        status: 'in-progress',
        fulfilment: fulfilmentOf('erase', ['accounts'], { accounts: erased }),
      });
      const closedAccess = (requestId: string, subjectKey: string) =>
        requests.create(
          {
            ...aRequest({
              status: 'fulfilled',
              receivedAt: '2025-03-01T01:00:00.000Z',
              extras: {
                fulfilment: { ...fulfilmentOf('export', ['accounts']), package: packageOf(requestId) },
              },
            }),
            requestId,
            subjectKey,
          },
          [
            {
              type: 'request-received',
              actor: { kind: 'system', id: 'intake' },
              at: '2025-03-01T01:00:00.000Z',
            },
          ],
        );
      const erasure = await requests.get(REQUEST_ID);
      await closedAccess(EARLIER, erasure.subjectKey);
      await closedAccess(OTHER_SUBJECT, 'email#someone-else');
      const links = new MemoryDownloadLinks(requests);
      const later = new Date(NOW.getTime() + 86_400_000).toISOString();
      links.add(EARLIER, 'link-live', later);
      links.add(EARLIER, 'link-expired', '2025-03-06T00:00:00.000Z');
      links.add(OTHER_SUBJECT, 'link-other', later);
      return { requests, links, packages: new MemoryPackageDeleter() };
    }

    it("revokes the subject's live links, deletes their packages and says so on the erasure's trail", async () => {
      const { requests, links, packages } = await given();

      await closeRequest(closeDeps(requests, links, packages), { requestId: REQUEST_ID });

      expect(await links.liveLinks(EARLIER, NOW)).toEqual([]);
      expect(await links.liveLinks(OTHER_SUBJECT, NOW)).toEqual(['link-other']);
      expect(packages.deleted).toEqual([`${EARLIER}/package.zip`]);
      expect((await requests.trail(EARLIER)).at(-1)).toMatchObject({
        type: 'download-link-revoked',
        details: { linkId: 'link-live', reason: `the subject's erasure request ${REQUEST_ID}` },
      });
      expect((await requests.trail(REQUEST_ID)).at(-1)).toMatchObject({
        type: 'earlier-exports-revoked',
        details: { requestIds: [EARLIER], linksRevoked: 1 },
      });
    });

    it('leaves an export request alone: only erasures withdraw packages', async () => {
      const { requests, links, packages } = await given();
      const erasure = await requests.get(REQUEST_ID);
      await requests.save(
        erasure,
        {
          ...erasure,
          type: 'access',
          fulfilment: fulfilmentOf('export', ['accounts'], { accounts: exported }),
        },
        [],
      );

      await closeRequest(closeDeps(requests, links, packages), { requestId: REQUEST_ID });

      expect(await links.liveLinks(EARLIER, NOW)).toEqual(['link-live']);
      expect(packages.deleted).toEqual([]);
    });
  });
});
