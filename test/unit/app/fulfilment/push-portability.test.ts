import { describe, expect, it } from 'vitest';
import { MemoryDownloadLinkIssuer } from '../../../../adapters/memory/memory-download-link-issuer';
import { FixedClock } from '../../../../adapters/memory/memory-intake-ports';
import { MemoryMailer } from '../../../../adapters/memory/memory-mailer';
import { MemoryPackagePush } from '../../../../adapters/memory/memory-package-push';
import {
  PackageChanged,
  pushPortability,
  TransferRejected,
  TransferUnavailable,
} from '../../../../app/fulfilment/push-portability';
import { getPolicy } from '../../../../domain/policy/registry';
import type { PortabilityTransfer } from '../../../../domain/portability/transfer';
import { AT, fixedClock, fulfilmentOf, NOW, REQUEST_ID, repositoryWith } from './support';

const ENDPOINT = 'https://recipient.example/v1/imports';
const PACKAGE_KEY = `${REQUEST_ID}/package.zip`;
const exported = { status: 'exported', recordCount: 3, stagingKey: 'k', at: AT } as const;

async function approvedTransfer(
  options: { transfer?: PortabilityTransfer; type?: 'portability' | 'access' } = {},
) {
  const { requests, record } = await repositoryWith({
    type: options.type ?? 'portability',
    status: 'fulfilled',
    extras: { portabilityTarget: { recipientName: 'Acme Bank', endpoint: ENDPOINT } },
    fulfilment: fulfilmentOf(
      'export',
      ['orders'],
      { orders: exported },
      {
        package: { key: PACKAGE_KEY, files: [], totalRecords: 3, at: AT, version: 1, stores: ['orders'] },
        ...(options.transfer ? { transfer: options.transfer } : {}),
      },
    ),
  });
  const push = new MemoryPackagePush();
  const links = new MemoryDownloadLinkIssuer();
  const mailer = new MemoryMailer();
  return {
    requests,
    record,
    push,
    links,
    mailer,
    deps: { requests, push, links, mailer, clock: fixedClock },
  };
}

describe('pushPortability', () => {
  it("pushes the package, records the recipient's receipt and tells the requester once", async () => {
    const { requests, push, mailer, links, deps } = await approvedTransfer();
    push.answer = { status: 201, body: JSON.stringify({ receipt: 'rcpt-42' }) };

    await expect(pushPortability(deps, { requestId: REQUEST_ID })).resolves.toEqual({
      requestId: REQUEST_ID,
    });

    expect(push.pushed).toEqual([{ endpoint: ENDPOINT, requestId: REQUEST_ID, packageKey: PACKAGE_KEY }]);
    expect((await requests.get(REQUEST_ID)).fulfilment?.transfer).toEqual({
      status: 'pushed',
      recipientName: 'Acme Bank',
      endpointOrigin: 'https://recipient.example',
      address: '203.0.113.10',
      httpStatus: 201,
      receipt: 'rcpt-42',
      sha256: 'ab'.repeat(32),
      bytes: 1234,
      at: AT,
      noticeSentAt: AT,
    });
    const trail = await requests.trail(REQUEST_ID);
    expect(trail.slice(-2).map((event) => [event.type, event.details?.kind])).toEqual([
      ['package-transferred', undefined],
      ['notification-sent', 'portability-transferred'],
    ]);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({
      to: 'li.lei@example.com',
      messageId: `<${REQUEST_ID}.transfer@dsar>`,
    });
    expect(mailer.sent[0]?.text).toContain('rcpt-42');
    expect(links.issued).toEqual([]);
  });

  it('never pushes a recorded transfer again, nor mails twice', async () => {
    const { push, mailer, deps } = await approvedTransfer();
    const clock = new FixedClock(NOW);
    await pushPortability({ ...deps, clock }, { requestId: REQUEST_ID });
    // The notice is claimed by its instant: a re-run comes later.
    clock.advance(60_000);

    await pushPortability({ ...deps, clock }, { requestId: REQUEST_ID });

    expect(push.pushed).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
  });

  it.each([
    [301, TransferRejected],
    [400, TransferRejected],
    [408, TransferUnavailable],
    [429, TransferUnavailable],
    [503, TransferUnavailable],
  ])('answers a recipient that says %i with %O, and records nothing', async (status, errorClass) => {
    const { requests, push, mailer, deps } = await approvedTransfer();
    push.answer = { status };

    await expect(pushPortability(deps, { requestId: REQUEST_ID })).rejects.toBeInstanceOf(errorClass);
    expect((await requests.get(REQUEST_ID)).fulfilment?.transfer).toBeUndefined();
    expect(mailer.sent).toEqual([]);
  });

  it('fails with PackageChanged when the bytes sent are not those digested', async () => {
    const { push, deps } = await approvedTransfer();
    push.changesInFlight = true;

    await expect(pushPortability(deps, { requestId: REQUEST_ID })).rejects.toBeInstanceOf(PackageChanged);
  });

  it('keeps no receipt from an answer cut at the cap', async () => {
    const { requests, push, deps } = await approvedTransfer();
    push.answer = { status: 200, body: '{"receipt":"rcpt-1"', truncated: true };

    await pushPortability(deps, { requestId: REQUEST_ID });

    expect((await requests.get(REQUEST_ID)).fulfilment?.transfer).not.toHaveProperty('receipt');
  });

  it('on a failure for good, records why and mails the requester the download link instead', async () => {
    const { requests, record, push, links, mailer, deps } = await approvedTransfer();

    await pushPortability(deps, {
      requestId: REQUEST_ID,
      failure: {
        Error: 'TransferRejected',
        Cause: JSON.stringify({ errorMessage: 'recipient.example answered 400' }),
      },
    });

    expect(push.pushed).toEqual([]);
    expect((await requests.get(REQUEST_ID)).fulfilment?.transfer).toEqual({
      status: 'failed',
      recipientName: 'Acme Bank',
      endpointOrigin: 'https://recipient.example',
      reason: 'TransferRejected: recipient.example answered 400',
      at: AT,
      noticeSentAt: AT,
    });
    expect(links.issued).toEqual([
      {
        requestId: REQUEST_ID,
        packageKey: PACKAGE_KEY,
        lifetimeDays: getPolicy(record.policyId).exportLinkLifetimeDays,
        url: 'https://dsar.example/download/token-1',
      },
    ]);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]?.text).toContain('https://dsar.example/download/token-1');
    expect((await requests.trail(REQUEST_ID)).slice(-2).map((event) => event.type)).toEqual([
      'transfer-failed',
      'notification-sent',
    ]);
  });

  it('does nothing for a request that is not a portability transfer', async () => {
    const { requests, record, push, mailer, deps } = await approvedTransfer({ type: 'access' });

    await expect(pushPortability(deps, { requestId: REQUEST_ID })).resolves.toEqual({
      requestId: REQUEST_ID,
    });

    expect(push.pushed).toEqual([]);
    expect(mailer.sent).toEqual([]);
    expect(await requests.get(REQUEST_ID)).toEqual(record);
  });
});
