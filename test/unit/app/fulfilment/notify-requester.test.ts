import { describe, expect, it } from 'vitest';
import { MemoryMailer } from '../../../../adapters/memory/memory-mailer';
import { notifyRequester } from '../../../../app/fulfilment/notify-requester';
import { AT, demoStores, fixedClock, fulfilmentOf, REQUEST_ID, repositoryWith } from './support';

const erased = {
  status: 'erased',
  deleted: 3,
  anonymised: 1,
  retained: 2,
  retainedBases: ['Accounting law: 30 years'],
  remaining: 0,
  at: AT,
} as const;

async function erasureClosed(status: 'fulfilled' | 'partially-fulfilled' | 'in-progress' = 'fulfilled') {
  const failed = { status: 'failed', reason: 'X', at: AT } as const;
  return repositoryWith({
    type: 'deletion',
    status,
    fulfilment: fulfilmentOf(
      'erase',
      ['accounts', 'orders'],
      status === 'partially-fulfilled'
        ? { accounts: erased, orders: failed }
        : { accounts: erased, orders: erased },
    ),
  });
}

describe('notifyRequester', () => {
  it('mails the erasure summary to the verified address and records it on the request and the trail', async () => {
    const { requests } = await erasureClosed();
    const mailer = new MemoryMailer();

    await notifyRequester(
      { requests, stores: demoStores, mailer, clock: fixedClock },
      { requestId: REQUEST_ID },
    );

    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({
      to: 'li.lei@example.com',
      messageId: `<${REQUEST_ID}.summary@dsar>`,
    });
    expect(mailer.sent[0]?.text).toContain('deleted 3');
    const stored = await requests.get(REQUEST_ID);
    expect(stored.fulfilment).toMatchObject({ summarySentAt: AT, summarisedStores: ['accounts', 'orders'] });
    expect((await requests.trail(REQUEST_ID)).at(-1)).toMatchObject({
      type: 'notification-sent',
      at: AT,
      details: { kind: 'erasure-summary', to: 'l***i@example.com' },
    });
  });

  it('sends nothing when run a second time', async () => {
    const { requests } = await erasureClosed();
    const mailer = new MemoryMailer();
    const deps = { requests, stores: demoStores, mailer, clock: fixedClock };
    await notifyRequester(deps, { requestId: REQUEST_ID });
    const trail = await requests.trail(REQUEST_ID);

    await notifyRequester(deps, { requestId: REQUEST_ID });

    expect(mailer.sent).toHaveLength(1);
    expect(await requests.trail(REQUEST_ID)).toEqual(trail);
  });

  it('names the stores not yet done in a partial summary', async () => {
    const { requests } = await erasureClosed('partially-fulfilled');
    const mailer = new MemoryMailer();

    await notifyRequester(
      { requests, stores: demoStores, mailer, clock: fixedClock },
      { requestId: REQUEST_ID },
    );

    expect(mailer.sent[0]?.text).toContain('will be retried');
  });

  it('waits until the request is closed', async () => {
    const { requests } = await erasureClosed('in-progress');
    const mailer = new MemoryMailer();

    await notifyRequester(
      { requests, stores: demoStores, mailer, clock: fixedClock },
      { requestId: REQUEST_ID },
    );

    expect(mailer.sent).toEqual([]);
    expect((await requests.get(REQUEST_ID)).fulfilment?.summarySentAt).toBeUndefined();
  });

  it('releases the summary when the mail is refused, so the next run sends it', async () => {
    const { requests } = await erasureClosed();
    const mailer = new MemoryMailer();
    mailer.failWith = Object.assign(new Error('down'), { name: 'ServiceUnavailable' });
    const deps = { requests, stores: demoStores, mailer, clock: fixedClock };

    await expect(notifyRequester(deps, { requestId: REQUEST_ID })).rejects.toThrow('down');

    expect((await requests.get(REQUEST_ID)).fulfilment).not.toHaveProperty('summarySentAt');
    expect((await requests.trail(REQUEST_ID)).at(-1)).toMatchObject({
      type: 'notification-failed',
      details: { kind: 'erasure-summary', error: 'ServiceUnavailable' },
    });
    mailer.failWith = undefined;
    await notifyRequester(deps, { requestId: REQUEST_ID });
    expect(mailer.sent).toHaveLength(1);
  });
});
