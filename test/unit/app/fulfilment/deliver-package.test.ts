import { describe, expect, it } from 'vitest';
import { MemoryDownloadLinkIssuer } from '../../../../adapters/memory/memory-download-link-issuer';
import { MemoryMailer } from '../../../../adapters/memory/memory-mailer';
import { MemorySmsSender } from '../../../../adapters/memory/memory-sms-sender';
import { deliverPackage } from '../../../../app/fulfilment/deliver-package';
import { getPolicy } from '../../../../domain/policy/registry';
import { EMAIL, PHONE } from '../../console/builders';
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

async function packagedRequest(extra = {}, options: Parameters<typeof repositoryWith>[0] = {}) {
  const { requests, record } = await repositoryWith({
    status: 'fulfilled',
    fulfilment: fulfilmentOf('export', ['orders'], { orders: exported }, { package: packaged(1), ...extra }),
    ...options,
  });
  const links = new MemoryDownloadLinkIssuer();
  const mailer = new MemoryMailer();
  const sms = new MemorySmsSender();
  return { requests, record, links, mailer, sms, deps: { requests, links, mailer, sms, clock: fixedClock } };
}

const verifiedPhone = { ...PHONE, verified: true, verifiedBy: 'sms-code' as const };

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
      details: { kind: 'package-ready', channel: 'email', to: 'l***i@example.com', version: 1 },
    });
  });

  it('sends the link alone by SMS where the only verified contact is a phone number', async () => {
    const { requests, links, mailer, sms, deps } = await packagedRequest(
      {},
      { identifiers: [verifiedPhone] },
    );

    await deliverPackage(deps, { requestId: REQUEST_ID });

    expect(links.issued).toHaveLength(1);
    expect(mailer.sent).toEqual([]);
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent[0]?.to).toBe(PHONE.value);
    const text = sms.sent[0]?.text ?? '';
    expect(text).toContain('https://dsar.example/download/token-1');
    // A shared or recycled number: no request id, no identifier, no data.
    expect(text).not.toContain(REQUEST_ID);
    expect(text).not.toContain(PHONE.value);
    expect(text).not.toMatch(/records/);
    expect((await requests.trail(REQUEST_ID)).at(-1)).toMatchObject({
      type: 'notification-sent',
      details: { kind: 'package-ready', channel: 'sms', to: PHONE.masked, version: 1 },
    });
    // Once per package version, as by mail.
    await deliverPackage(deps, { requestId: REQUEST_ID });
    expect(sms.sent).toHaveLength(1);
  });

  it('prefers a verified email to a verified phone, and uses no unverified email', async () => {
    const both = await packagedRequest({}, { identifiers: [{ ...EMAIL, verified: true }, verifiedPhone] });
    await deliverPackage(both.deps, { requestId: REQUEST_ID });
    expect([both.mailer.sent.length, both.sms.sent.length]).toEqual([1, 0]);

    const phoneVerified = await packagedRequest({}, { identifiers: [EMAIL, verifiedPhone] });
    await deliverPackage(phoneVerified.deps, { requestId: REQUEST_ID });
    expect([phoneVerified.mailer.sent.length, phoneVerified.sms.sent.length]).toEqual([0, 1]);
  });

  it('delivers nothing to a phone where the deployment sends no SMS', async () => {
    const { links, sms, deps } = await packagedRequest({}, { identifiers: [verifiedPhone] });
    await deliverPackage({ ...deps, sms: new MemorySmsSender(false) }, { requestId: REQUEST_ID });
    expect(links.issued).toEqual([]);
    expect(sms.sent).toEqual([]);
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
