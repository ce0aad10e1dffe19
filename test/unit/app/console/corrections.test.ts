import { describe, expect, it } from 'vitest';
import { MemoryConnectorFactory } from '../../../../adapters/memory/memory-connector-factory';
import { fixedSecrets } from '../../../../adapters/memory/memory-intake-ports';
import { applyCorrection, IdentityAmbiguous, IdentityNotResolved } from '../../../../app/console/corrections';
import {
  AmbiguousSubjectError,
  ConnectorTransientError,
  type CorrectedField,
  type CorrectionContext,
  type FieldChange,
  type SubjectIdentity,
} from '../../../../connectors/contract';
import { RequestClosed } from '../../../../domain/console/errors';
import { ChangeNotCorrectable } from '../../../../domain/correction';
import { EMAIL } from '../../console/builders';
import { demoStores, fakeConnector } from '../fulfilment/support';
import { AGENT, consolePorts, given } from './fixture';

const ID = 'dsr-00000000-0000-4000-8000-000000000001';
const NOW = '2025-03-10T02:00:00.000Z';
const NEW_ADDRESS = '杭州 西湖路 8 号';

const toOrders = { storeId: 'orders', category: 'delivery', field: 'shippingAddress', value: NEW_ADDRESS };
const toLoyalty = {
  storeId: 'loyalty',
  category: 'reward-deliveries',
  field: 'delivery_address',
  value: '8 West Lake Road, Hangzhou',
};

interface Correction {
  readonly identity: SubjectIdentity;
  readonly changes: readonly FieldChange[];
  readonly context: CorrectionContext;
}

/** A store that corrects two records of whoever it is asked about, keeping what it was asked. */
function correctingStore(storeId: string, corrections: Correction[]) {
  return fakeConnector(storeId, {
    correct: async (identity, changes, context) => {
      corrections.push({ identity, changes, context });
      const records: CorrectedField[] = ['r-1', 'r-2'].flatMap((recordKey) =>
        changes.map(({ category, field, value }) => ({
          recordKey,
          category,
          field,
          before: 'old',
          after: value,
          changed: true,
        })),
      );
      return { status: 'applied', records };
    },
  });
}

/** The console ports, the demo registry, the accounts store resolving accountId, and a correction request. */
async function correctionPorts(connectors: Record<string, ReturnType<typeof fakeConnector>> = {}) {
  const corrections: Correction[] = [];
  const resolverAsked: SubjectIdentity[] = [];
  const factory = new MemoryConnectorFactory({
    accounts: fakeConnector('accounts', {
      find: async (identity) => {
        resolverAsked.push(identity);
        return { count: 1, resolved: { accountId: 'acc-7' } };
      },
    }),
    loyalty: correctingStore('loyalty', corrections),
    orders: correctingStore('orders', corrections),
    ...connectors,
  });
  const ports = {
    ...consolePorts(NOW),
    connectors: factory,
    stores: demoStores,
    secrets: fixedSecrets(),
  };
  await given(ports.requests, { policyId: 'caftrade', type: 'correction', status: 'verified' });
  return { ports, factory, corrections, resolverAsked };
}

describe('applying a correction', () => {
  it('corrects each store with the resolved identity, masks before and after on the trail, closes and tells the requester', async () => {
    const { ports, corrections, resolverAsked } = await correctionPorts();

    const answer = await applyCorrection(ports, AGENT, ID, {
      changes: [toOrders, toLoyalty],
      note: 'Customer moved',
    });

    expect(answer).toEqual({
      requestId: ID,
      status: 'fulfilled',
      stores: [
        { storeId: 'orders', status: 'applied', records: 2, changed: 2, unchanged: 0 },
        { storeId: 'loyalty', status: 'applied', records: 2, changed: 2, unchanged: 0 },
      ],
      noticeSent: true,
    });
    expect(resolverAsked[0]).toEqual({ email: EMAIL.value });
    expect(corrections.map((correction) => correction.identity)).toEqual([
      { email: EMAIL.value, accountId: 'acc-7' },
      { email: EMAIL.value, accountId: 'acc-7' },
    ]);
    expect(corrections[0]?.context).toEqual({ requestId: ID, now: NOW });
    const trail = await ports.requests.trail(ID);
    expect(trail.slice(1).map((event) => event.type)).toEqual([
      'correction-applied',
      'status-changed',
      'status-changed',
      'notification-sent',
    ]);
    expect(trail[1]).toMatchObject({ actor: AGENT.actor, at: NOW });
    expect(JSON.stringify(trail)).not.toContain(NEW_ADDRESS);
    expect(ports.mailer.sent.map((mail) => mail.to)).toEqual([EMAIL.value]);
  });

  it('refuses a field off the allow-list before any store is asked, and records the refusal', async () => {
    const { ports, factory } = await correctionPorts();

    const refused = applyCorrection(ports, AGENT, ID, {
      changes: [{ storeId: 'accounts', category: 'account', field: 'email', value: 'x@example.com' }],
    });

    await expect(refused).rejects.toBeInstanceOf(ChangeNotCorrectable);
    expect(factory.requested).toEqual([]);
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({
      type: 'rejected-input',
      actor: AGENT.actor,
      at: NOW,
      details: { action: 'correction', error: 'ChangeNotCorrectable', field: 'changes.0.field' },
    });
  });

  it('refuses a closed request with its conflict, recorded the same way', async () => {
    const { ports } = await correctionPorts();
    await applyCorrection(ports, AGENT, ID, { changes: [toOrders] });

    await expect(applyCorrection(ports, AGENT, ID, { changes: [toOrders] })).rejects.toBeInstanceOf(
      RequestClosed,
    );
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({
      type: 'rejected-input',
      details: { error: 'RequestClosed' },
    });
  });

  it('changes nothing when a resolver store does not answer, so the agent can try again', async () => {
    const { ports, corrections } = await correctionPorts({
      accounts: fakeConnector('accounts', {
        find: async () => {
          throw new ConnectorTransientError('accounts', 'throttled');
        },
      }),
    });
    const trail = await ports.requests.trail(ID);

    await expect(applyCorrection(ports, AGENT, ID, { changes: [toOrders] })).rejects.toMatchObject({
      name: IdentityNotResolved.name,
      code: 'store-unavailable',
      message: "Could not resolve the subject's identifiers: accounts: throttled",
    });
    expect(corrections).toEqual([]);
    expect(await ports.requests.trail(ID)).toEqual(trail);
  });

  it('refuses, as a conflict on the trail, a correction whose verified identifiers match two subjects', async () => {
    const { ports, corrections } = await correctionPorts({
      accounts: fakeConnector('accounts', {
        find: async () => {
          throw new AmbiguousSubjectError('accounts', 'accountId', 2);
        },
      }),
    });

    await expect(applyCorrection(ports, AGENT, ID, { changes: [toOrders] })).rejects.toMatchObject({
      name: IdentityAmbiguous.name,
      code: 'ambiguous-identity',
    });
    expect(corrections).toEqual([]);
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({
      type: 'rejected-input',
      details: { action: 'correction', error: 'IdentityAmbiguous' },
    });
  });

  it('asks no resolver store once the workflow has recorded the resolved identifiers', async () => {
    const { ports, factory, corrections } = await correctionPorts();
    await ports.requests.mutate(ID, (current) => ({
      next: {
        ...current,
        fulfilment: {
          action: 'agent',
          plannedStores: [],
          storeResults: {},
          executionName: ID,
          resolvedIdentifiers: { accountId: 'acc-9' },
        },
      },
      events: [],
    }));

    await applyCorrection(ports, AGENT, ID, { changes: [toOrders] });

    expect(factory.requested.map((asked) => asked.storeId)).toEqual(['orders']);
    expect(corrections[0]?.identity).toEqual({ email: EMAIL.value, accountId: 'acc-9' });
  });

  it('goes on past a store that fails: partially fulfilled, the failure reported with its reason', async () => {
    const { ports } = await correctionPorts({
      loyalty: fakeConnector('loyalty', {
        correct: async () => {
          throw new ConnectorTransientError('loyalty', 'connection refused');
        },
      }),
    });

    const answer = await applyCorrection(ports, AGENT, ID, { changes: [toOrders, toLoyalty] });

    expect(answer).toMatchObject({
      status: 'partially-fulfilled',
      stores: [
        { storeId: 'orders', status: 'applied', changed: 2 },
        {
          storeId: 'loyalty',
          status: 'failed',
          records: 0,
          reason: 'ConnectorTransientError: loyalty: connection refused',
          retriable: true,
        },
      ],
      noticeSent: true,
    });
    expect(ports.log.warnings).toEqual([
      {
        message: 'Correction failed in a store',
        attributes: { storeId: 'loyalty', errorName: 'ConnectorTransientError' },
      },
    ]);
  });
});
