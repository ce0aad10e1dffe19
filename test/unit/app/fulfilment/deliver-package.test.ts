import { describe, expect, it } from 'vitest';
import { MemoryDownloadLinkIssuer } from '../../../../adapters/memory/memory-download-link-issuer';
import { MemoryMailer } from '../../../../adapters/memory/memory-mailer';
import { deliverPackage } from '../../../../app/fulfilment/deliver-package';
import { getPolicy } from '../../../../domain/policy/registry';
import { AT, fixedClock, fulfilmentOf, REQUEST_ID, repositoryWith } from './support';

const exported = { status: 'exported', recordCount: 3, stagingKey: 'k', at: AT } as const;
const packaged = (version: number) => ({
  key: `${REQUEST_ID}/package.zip`,
  files: [],
  totalRecords: 3,
  at: AT,
  version,
  stores: ['orders'],
});

async function packagedRequest(extra = {}) {
  const { requests, record } = await repositoryWith({
    status: 'fulfilled',
    fulfilment: fulfilmentOf('export', ['orders'], { orders: exported }, { package: packaged(1), ...extra }),
  });
  const links = new MemoryDownloadLinkIssuer();
  const mailer = new MemoryMailer();
  return { requests, record, links, mailer, deps: { requests, links, mailer, clock: fixedClock } };
}

describe('deliverPackage', () => {
  it("issues a link for the policy's lifetime, mails it, and records the delivery", async () => {
    const { requests, record, links, mailer, deps } = await packagedRequest();

    await deliverPackage(deps, { requestId: REQUEST_ID });

    expect(links.issued).toEqual([
      {
        requestId: REQUEST_ID,
        packageKey: `${REQUEST_ID}/package.zip`,
        lifetimeDays: getPolicy(record.policyId).exportLinkLifetimeDays,
        url: 'https://dsar.example/download/token-1',
      },
    ]);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({
      to: 'li.lei@example.com',
      messageId: `<${REQUEST_ID}.package@dsar>`,
    });
    expect(mailer.sent[0]?.text).toContain('https://dsar.example/download/token-1');
    expect((await requests.get(REQUEST_ID)).fulfilment).toMatchObject({
      deliveredAt: AT,
      deliveredVersion: 1,
    });
    expect((await requests.trail(REQUEST_ID)).at(-1)).toMatchObject({
      type: 'notification-sent',
      at: AT,
      details: { kind: 'package-ready', to: 'l***i@example.com', version: 1 },
    });
  });

  it('sends no second link when run a second time', async () => {
    const { requests, links, mailer, deps } = await packagedRequest();
    await deliverPackage(deps, { requestId: REQUEST_ID });
    const trail = await requests.trail(REQUEST_ID);

    await deliverPackage(deps, { requestId: REQUEST_ID });

    expect(links.issued).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
    expect(await requests.trail(REQUEST_ID)).toEqual(trail);
  });

  it('mails a rebuilt package once more, under its own message id', async () => {
    const { mailer, deps } = await packagedRequest({
      package: packaged(2),
      deliveredAt: AT,
      deliveredVersion: 1,
    });

    await deliverPackage(deps, { requestId: REQUEST_ID });

    expect(mailer.sent.map((mail) => mail.messageId)).toEqual([`<${REQUEST_ID}.package-v2@dsar>`]);
  });

  it('releases the delivery when the mail is refused, so the next run sends the link', async () => {
    const { requests, mailer, deps } = await packagedRequest();
    mailer.failWith = Object.assign(new Error('down'), { name: 'ServiceUnavailable' });

    await expect(deliverPackage(deps, { requestId: REQUEST_ID })).rejects.toThrow('down');

    const released = await requests.get(REQUEST_ID);
    expect(released.fulfilment).not.toHaveProperty('deliveredAt');
    expect(released.fulfilment).not.toHaveProperty('deliveredVersion');
    expect((await requests.trail(REQUEST_ID)).at(-1)).toMatchObject({
      type: 'notification-failed',
      details: { kind: 'package-ready', error: 'ServiceUnavailable' },
    });

    mailer.failWith = undefined;
    await deliverPackage(deps, { requestId: REQUEST_ID });
    expect(mailer.sent).toHaveLength(1);
    expect((await requests.get(REQUEST_ID)).fulfilment).toMatchObject({
      deliveredAt: AT,
      deliveredVersion: 1,
    });
  });
});
