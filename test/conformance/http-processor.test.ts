import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConnector } from '../../connectors/factory';
import { signCallback, verifyCallbackSignature } from '../../connectors/http-processor/callback-signature';
import {
  HttpProcessorConnector,
  type HttpProcessorStoreDefinition,
} from '../../connectors/http-processor/http-processor-connector';
import { isUuid, type OpenDsrStatus, SIGNATURE_HEADER } from '../../connectors/http-processor/opendsr';
import { storeById } from '../../domain/stores/registry';
import { DEMO_PEOPLE, type DemoPerson, newsletterSubscriberOf } from '../../local/demo/organisation';
import { loadDemoRegistry } from '../../local/demo/registry';
import { type FakeProcessor, type ProcessorSubject, startFakeProcessor } from '../../local/fake-processor';
import { readBody, serveOnLoopback } from '../../local/http-server';
import { findFreePort } from '../../local/ports';
import { describeConnectorConformance } from './suite';
import { HTTP_TOO_MANY_REQUESTS, startFaultProxy } from './support/fault-proxy';

const NEWSLETTER = storeById(loadDemoRegistry(), 'newsletter-processor') as HttpProcessorStoreDefinition;
const SECRET = 'callback-secret-for-tests';
/** The demo registry lets nothing be corrected at the processor; this variant lets the list be. */
const CORRECTABLE_NEWSLETTER: HttpProcessorStoreDefinition = {
  ...NEWSLETTER,
  categories: NEWSLETTER.categories.map((category) => ({ ...category, correctable: ['list'] })),
};
const FAST_POLLING = { pollIntervalMs: 10, maxPollIntervalMs: 50, deadlineMs: 5_000 } as const;

const [LI_LEI, HAN_MEIMEI] = DEMO_PEOPLE as [DemoPerson, DemoPerson, ...DemoPerson[]];

/** What the newsletter processor holds about a person: a subscription and two deliveries. */
const subscriberOf = (person: DemoPerson): ProcessorSubject => newsletterSubscriberOf(person);

const identityOf = (person: DemoPerson) => ({ accountId: person.accountId, email: person.email });

describeConnectorConformance('http-processor', async () => {
  const processor = await startFakeProcessor({
    secret: SECRET,
    completionDelayMs: 30,
    subjects: [subscriberOf(LI_LEI), subscriberOf(HAN_MEIMEI)],
  });
  const closedPort = await findFreePort();
  const proxy = await startFaultProxy(Number(new URL(processor.url).port));
  const proxied = new URL(processor.url);
  proxied.port = String(proxy.port);
  return {
    connector: new HttpProcessorConnector(NEWSLETTER, { endpoint: processor.url, ...FAST_POLLING }),
    subject: identityOf(LI_LEI),
    otherSubject: identityOf(HAN_MEIMEI),
    reseed: async () => processor.load([subscriberOf(LI_LEI), subscriberOf(HAN_MEIMEI)]),
    readRaw: async (identity) => JSON.stringify(processor.dataFor(identity)),
    expected: {
      found: 3,
      exported: 3,
      erased: { deleted: 3, anonymised: 0, retained: 0 },
      afterErasure: { anonymised: 0, retained: 0, retainedBases: [] },
    },
    unreachableConnector: () =>
      new HttpProcessorConnector(NEWSLETTER, { endpoint: `http://127.0.0.1:${closedPort}/opendsr` }),
    faults: {
      connector: new HttpProcessorConnector(NEWSLETTER, {
        endpoint: proxied.toString(),
        ...FAST_POLLING,
        requestTimeoutMs: 1_000,
      }),
      proxy,
      // One HTTP call's timeout (1 s), with room for the test machine.
      deadlineMs: 2_500,
      throttled: HTTP_TOO_MANY_REQUESTS,
    },
    teardown: async () => {
      await proxy.close();
      await processor.stop();
    },
    correction: {
      connector: new HttpProcessorConnector(CORRECTABLE_NEWSLETTER, {
        endpoint: processor.url,
        ...FAST_POLLING,
      }),
      changes: [{ category: 'newsletter', field: 'list', value: 'monthly-digest' }],
      // The subscription and both deliveries: the processor sets the list on every newsletter record.
      changed: 3,
      notAllowed: { category: 'newsletter', field: 'email', value: 'other@example.com' },
    },
  };
});

describe('http-processor connector', () => {
  let processor: FakeProcessor;
  let connector: HttpProcessorConnector;
  let requestNumber = 0;
  const context = () => ({
    requestId: `req-http-${++requestNumber}`,
    hmacKey: 'k',
    now: new Date().toISOString(),
  });

  beforeAll(async () => {
    processor = await startFakeProcessor({ secret: SECRET, completionDelayMs: 40 });
    connector = new HttpProcessorConnector(NEWSLETTER, { endpoint: processor.url, ...FAST_POLLING });
  });

  afterAll(async () => {
    await processor?.stop();
  });

  beforeEach(() => {
    processor.load([subscriberOf(LI_LEI), subscriberOf(HAN_MEIMEI)]);
  });

  it('keeps the deletion receipt the processor returns, and deletes the subject there', async () => {
    const outcome = await connector.erase(identityOf(LI_LEI), context());
    expect(outcome.receipts).toEqual([expect.stringMatching(/^receipt-/)]);
    expect(processor.dataFor(identityOf(LI_LEI))).toEqual([]);
    expect(processor.dataFor(identityOf(HAN_MEIMEI))).toHaveLength(3);
  });

  it('names the processor request by a UUID derived from the request and store, so a re-run finds it', async () => {
    const erasure = context();
    const first = await connector.erase(identityOf(LI_LEI), erasure);
    const second = await connector.erase(identityOf(LI_LEI), erasure);
    const made = processor
      .requests()
      .filter((request) => request.subjectRequestId === connector.erasureRequestId(erasure));
    expect(made).toEqual([
      { subjectRequestId: connector.erasureRequestId(erasure), type: 'erasure', status: 'completed' },
    ]);
    expect(isUuid(connector.erasureRequestId(erasure))).toBe(true);
    expect(second).toEqual({ ...first, deleted: 0 });
  });

  it('resumes a processor request still in progress when the step is re-run after its deadline', async () => {
    const slow = await startFakeProcessor({
      secret: SECRET,
      completionDelayMs: 400,
      subjects: [subscriberOf(LI_LEI)],
    });
    try {
      const impatient = new HttpProcessorConnector(NEWSLETTER, {
        endpoint: slow.url,
        pollIntervalMs: 10,
        deadlineMs: 50,
      });
      const erasure = context();
      await expect(impatient.erase(identityOf(LI_LEI), erasure)).rejects.toMatchObject({
        name: 'ConnectorTransientError',
      });
      const patient = new HttpProcessorConnector(NEWSLETTER, { endpoint: slow.url, ...FAST_POLLING });
      const outcome = await patient.erase(identityOf(LI_LEI), erasure);
      expect(outcome.deleted).toBe(3);
      expect(slow.requests()).toHaveLength(1);
    } finally {
      await slow.stop();
    }
  });

  it('reports a rectification still running at the deadline as pending, and its result when asked again', async () => {
    const slow = await startFakeProcessor({
      secret: SECRET,
      completionDelayMs: 400,
      subjects: [subscriberOf(LI_LEI)],
    });
    try {
      const changes = [{ category: 'newsletter', field: 'list', value: 'monthly-digest' }] as const;
      const correction = { requestId: 'req-http-rectification', now: new Date().toISOString() };
      const impatient = new HttpProcessorConnector(CORRECTABLE_NEWSLETTER, {
        endpoint: slow.url,
        pollIntervalMs: 10,
        correctionDeadlineMs: 50,
      });
      const first = await impatient.correct(identityOf(LI_LEI), changes, correction);
      expect(first).toMatchObject({ status: 'pending', waitingFor: 'processor', records: [] });
      const patient = new HttpProcessorConnector(CORRECTABLE_NEWSLETTER, {
        endpoint: slow.url,
        ...FAST_POLLING,
      });
      const second = await patient.correct(identityOf(LI_LEI), changes, correction);
      expect(second.status).toBe('applied');
      expect(second.records.filter((record) => record.changed)).toHaveLength(3);
      expect(slow.requests().filter((request) => request.type === 'rectification')).toHaveLength(1);
    } finally {
      await slow.stop();
    }
  });

  it('fails with a transient error while the processor answers 503, and succeeds once it recovers', async () => {
    const erasure = context();
    processor.failNext(2, 503);
    await expect(connector.erase(identityOf(LI_LEI), erasure)).rejects.toMatchObject({
      name: 'ConnectorTransientError',
    });
    await expect(connector.erase(identityOf(LI_LEI), erasure)).rejects.toMatchObject({
      name: 'ConnectorTransientError',
    });
    const outcome = await connector.erase(identityOf(LI_LEI), erasure);
    expect(outcome.deleted).toBe(3);
    expect(
      processor
        .requests()
        .filter((request) => request.subjectRequestId === connector.erasureRequestId(erasure)),
    ).toHaveLength(1);
  });

  it.each([
    [429, 'ConnectorTransientError'],
    [500, 'ConnectorTransientError'],
    [400, 'ConnectorPermanentError'],
    [403, 'ConnectorPermanentError'],
  ])('maps HTTP %i from the processor to %s', async (status, name) => {
    processor.failNext(1, status);
    await expect(connector.erase(identityOf(LI_LEI), context())).rejects.toMatchObject({ name });
  });

  it('will not verify an erasure the processor has not completed', async () => {
    const slow = await startFakeProcessor({
      secret: SECRET,
      completionDelayMs: 60_000,
      subjects: [subscriberOf(LI_LEI)],
    });
    try {
      const impatient = new HttpProcessorConnector(NEWSLETTER, {
        endpoint: slow.url,
        pollIntervalMs: 5,
        deadlineMs: 20,
      });
      const erasure = context();
      await expect(impatient.erase(identityOf(LI_LEI), erasure)).rejects.toThrow(
        /still (pending|in_progress)/,
      );
      await expect(impatient.verifyErasure(identityOf(LI_LEI), erasure)).rejects.toMatchObject({
        name: 'ConnectorTransientError',
      });
      await slow.completeAll();
      expect((await impatient.verifyErasure(identityOf(LI_LEI), erasure)).remaining).toBe(0);
    } finally {
      await slow.stop();
    }
  });

  it('is made by the connector factory with the endpoint local mode gives for the store', async () => {
    const made = createConnector(NEWSLETTER, {
      processorEndpoints: { 'newsletter-processor': processor.url },
      // Local mode's allowance for its fake processor on plain http (PROCESSOR_HTTP_ORIGINS).
      processorHttpOrigins: [new URL(processor.url).origin],
    });
    await expect(made.healthCheck()).resolves.toBeUndefined();
  });

  it('refuses a store whose categories ask a processor for anything but deletion', () => {
    const store: HttpProcessorStoreDefinition = {
      ...NEWSLETTER,
      categories: [
        {
          id: 'newsletter',
          description: 'kept',
          erasure: { mode: 'retain', basis: 'a law', retainFor: { length: 1, unit: 'years' } },
        },
      ],
    };
    expect(() => new HttpProcessorConnector(store)).toThrow(/only be asked to erase/);
  });

  describe('status callbacks', () => {
    it('receives a completed-status callback whose signature verifies against the raw body', async () => {
      const received: { body: string; signature: string | undefined }[] = [];
      const server = createServer(async (request, response) => {
        const body = (await readBody(request, 64 * 1024)).toString('utf8');
        received.push({
          body,
          signature: request.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined,
        });
        response.writeHead(204).end();
      });
      const receiver = await serveOnLoopback(server);
      try {
        const withCallback = new HttpProcessorConnector(NEWSLETTER, {
          endpoint: processor.url,
          callbackUrl: `${receiver.url}/callbacks/newsletter-processor`,
          ...FAST_POLLING,
        });
        const erasure = context();
        await withCallback.erase(identityOf(HAN_MEIMEI), erasure);
        await expect.poll(() => received.length).toBe(1);
        const [callback] = received;
        expect(verifyCallbackSignature(callback!.body, callback!.signature, SECRET)).toBe(true);
        const status = JSON.parse(callback!.body) as OpenDsrStatus;
        expect(status).toMatchObject({
          subject_request_id: withCallback.erasureRequestId(erasure),
          request_status: 'completed',
          deletion_receipt_id: expect.stringMatching(/^receipt-/),
        });
      } finally {
        await receiver.stop();
      }
    });

    const body = JSON.stringify({ subject_request_id: 'x', request_status: 'completed' });
    const signature = signCallback(body, SECRET);

    it.each([
      ['a tampered body', body.replace('completed', 'cancelled'), signature, SECRET],
      ['a signature made with another secret', body, signCallback(body, 'another secret'), SECRET],
      ['a truncated signature', body, signature.slice(0, 63), SECRET],
      ['a signature that is not hex', body, 'z'.repeat(64), SECRET],
      ['no signature', body, undefined, SECRET],
      ['an empty secret, even with a matching signature', body, signCallback(body, ''), ''],
    ])('rejects %s', (_what, payload, given, secret) => {
      expect(verifyCallbackSignature(payload, given, secret)).toBe(false);
    });

    it('accepts the signature in either hex case and the body as bytes', () => {
      expect(verifyCallbackSignature(Buffer.from(body), signature.toUpperCase(), SECRET)).toBe(true);
    });
  });
});

describe('fake OpenDSR processor', () => {
  let processor: FakeProcessor;

  beforeAll(async () => {
    processor = await startFakeProcessor({ secret: SECRET, completionDelayMs: 200 });
  });

  afterAll(async () => {
    await processor?.stop();
  });

  const post = (body: unknown) =>
    fetch(processor.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('moves a request from pending through in_progress to completed, as promised at creation', async () => {
    const id = crypto.randomUUID();
    const created = await post({
      api_version: '2.0',
      subject_request_id: id,
      subject_request_type: 'erasure',
      submitted_time: new Date().toISOString(),
      subject_identities: [
        { identity_type: 'email', identity_value: 'a@example.com', identity_format: 'raw' },
      ],
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      subject_request_id: id,
      expected_completion_time: expect.any(String),
    });
    const statusOf = async () =>
      ((await (await fetch(`${processor.url}/${id}`)).json()) as OpenDsrStatus).request_status;
    expect(await statusOf()).toBe('pending');
    await expect.poll(statusOf, { interval: 20 }).toBe('in_progress');
    await expect.poll(statusOf, { interval: 20 }).toBe('completed');
  });

  it.each([
    ['a subject_request_id that is not a UUID', { subject_request_id: 'req-1' }],
    ['an unknown request type', { subject_request_type: 'rectification' }],
    ['no identities', { subject_identities: [] }],
    [
      'an unsupported identity type',
      { subject_identities: [{ identity_type: 'ssn', identity_value: '1', identity_format: 'raw' }] },
    ],
  ])('refuses %s with 400', async (_what, change) => {
    const response = await post({
      api_version: '2.0',
      subject_request_id: crypto.randomUUID(),
      subject_request_type: 'access',
      submitted_time: new Date().toISOString(),
      subject_identities: [
        { identity_type: 'email', identity_value: 'a@example.com', identity_format: 'raw' },
      ],
      ...change,
    });
    expect(response.status).toBe(400);
  });
});
