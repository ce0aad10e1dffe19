/**
 * A fake downstream processor that speaks OpenDSR (see
 * connectors/http-processor/opendsr.ts), for local mode and the
 * http-processor connector's tests.
 *
 * Why it exists: processors answer asynchronously, fail, and throttle; the
 * connector's polling, re-run safety and error mapping can only be tested
 * against something that does the same over real HTTP.
 *
 * What it reproduces: `POST <url>` (201, or 409 for a `subject_request_id`
 * it already has), `GET <url>/<id>` with the status moving pending →
 * in_progress → completed over `completionDelayMs`, `GET <url>/discovery`,
 * and, on completion, a callback POSTed to each `status_callback_urls` entry
 * and signed with HMAC-SHA256 under `secret`. It holds records per subject:
 * an erasure deletes the matching subjects' records (observable through
 * `dataFor`) and returns a deletion receipt; an access request's results are
 * served at `results_url`; a rectification request (the OpenDSR extension)
 * sets the named fields on the matching subjects' records of that category
 * (a record with no `category` counts as any) and lists them, before and
 * after, as `rectified_records`. `failNext(n)` answers the next n calls with 503
 * (or another status), for retry tests; `POST /_control/faults` does the same
 * for one controller request only (`subjectRequestIdPrefix`: an erasure's id is
 * derived from the controller's request id) or for one data subject
 * (`subjectEmail`: every call about a request naming that address, which
 * reaches the access requests behind a store's export, whose ids are random),
 * for integration tests on a shared stack.
 *
 * It is also the receiving end of a portability transfer: `POST
 * /portability/inbox` takes a zip (checking its `Content-Digest`), keeps it,
 * and answers `{ receipt }` (201; 200 with the same receipt for an
 * `Idempotency-Key` it already has). `GET /portability/inbox?requestId=<id>`
 * lists what arrived for a request, bytes included, for tests on a stack
 * running in another process. Local mode allow-lists this origin
 * (`PORTABILITY_ALLOWED_ORIGINS`) so the push may reach it on 127.0.0.1.
 *
 * What it does not: authentication, cancellation, or persistence (restarting
 * it forgets every request).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { signCallback } from '../connectors/http-processor/callback-signature';
import {
  isUuid,
  OPENDSR_API_VERSION,
  type OpenDsrCreated,
  type OpenDsrIdentity,
  type OpenDsrRectifiedRecord,
  type OpenDsrRequest,
  type OpenDsrRequestStatus,
  type OpenDsrResults,
  type OpenDsrStatus,
  SIGNATURE_HEADER,
} from '../connectors/http-processor/opendsr';
import { readBody, serveOnLoopback } from './http-server';

export type ProcessorRecord = Readonly<Record<string, unknown>>;

/** One data subject as the processor knows them: the identifiers it was given, and what it holds. */
export interface ProcessorSubject {
  readonly identities: {
    readonly email?: string;
    readonly phone_number?: string;
    readonly controller_customer_id?: string;
  };
  readonly records: readonly ProcessorRecord[];
}

export interface FakeProcessorOptions {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** Shared secret the callbacks are signed with. */
  readonly secret: string;
  /** How long a request takes from received to completed; in_progress from half-way. */
  readonly completionDelayMs: number;
  readonly subjects?: readonly ProcessorSubject[];
}

export interface ReceivedRequest {
  readonly subjectRequestId: string;
  readonly type: OpenDsrRequest['subject_request_type'];
  readonly status: OpenDsrRequestStatus;
}

/** One portability push as the inbox received it. */
export interface PortabilityDelivery {
  /** The `X-Dsar-Request-Id` header. */
  readonly requestId: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly contentType: string | undefined;
  /** The `Content-Digest` header as sent. */
  readonly contentDigest: string | undefined;
  /** SHA-256 (hex) of the bytes that arrived, computed here. */
  readonly sha256: string;
  readonly bytes: number;
  /** The body, base64. */
  readonly body: string;
  readonly receipt: string;
  /** How many times this delivery was pushed (a repeat carries the same Idempotency-Key). */
  readonly pushes: number;
}

export interface FakeProcessor {
  /** The OpenDSR endpoint, `http://127.0.0.1:<port>/opendsr`: the registry's `endpoint`. */
  readonly url: string;
  /** The portability inbox, `http://127.0.0.1:<port>/portability/inbox`. */
  readonly portabilityInbox: string;
  /** Every portability push received, in order. */
  portabilityDeliveries(): readonly PortabilityDelivery[];
  /** The records held for every subject matching any of these identifiers. */
  dataFor(identity: { email?: string; phone?: string; accountId?: string }): ProcessorRecord[];
  /** Replaces the data of each given subject (matched by any identifier), adding subjects not yet known. */
  load(subjects: readonly ProcessorSubject[]): void;
  /** Every request received, in order. */
  requests(): readonly ReceivedRequest[];
  /** Answers the next `count` calls, whatever they are, with `status` (503 unless given). */
  failNext(count: number, status?: number): void;
  /** Completes every open request now, as if its delay had passed. */
  completeAll(): Promise<void>;
  stop(): Promise<void>;
}

const BODY_LIMIT_BYTES = 64 * 1024;
const INBOX_LIMIT_BYTES = 64 * 1024 * 1024;
const INBOX_PATH = '/portability/inbox';

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
const IDENTITY_TYPES = new Set(['email', 'phone_number', 'controller_customer_id']);
const REQUEST_TYPES = new Set(['erasure', 'access', 'rectification']);

/** Sets each rectification on the records it applies to; what each record held, before and after. */
function rectify(
  records: readonly ProcessorRecord[],
  rectifications: NonNullable<OpenDsrRequest['rectifications']>,
): { records: ProcessorRecord[]; rectified: OpenDsrRectifiedRecord[] } {
  const rectified: OpenDsrRectifiedRecord[] = [];
  const updated = records.map((record, index) => {
    let next: Record<string, unknown> = { ...record };
    for (const { category, field, value } of rectifications) {
      if (record.category !== undefined && record.category !== category) continue;
      const before = next[field];
      rectified.push({
        record_id: typeof record.id === 'string' ? record.id : `record-${index + 1}`,
        category,
        field,
        ...(before === undefined ? {} : { before }),
        after: value,
        changed: before !== value,
      });
      next = { ...next, [field]: value };
    }
    return next;
  });
  return { records: updated, rectified };
}

interface StoredRequest {
  readonly request: OpenDsrRequest;
  readonly expectedCompletion: string;
  status: OpenDsrRequestStatus;
  receipt?: string;
  recordsDeleted?: number;
  results?: readonly ProcessorRecord[];
  rectified?: readonly OpenDsrRectifiedRecord[];
  timers: NodeJS.Timeout[];
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function matches(subject: ProcessorSubject, identities: readonly OpenDsrIdentity[]): boolean {
  return identities.some(
    (identity) => subject.identities[identity.identity_type] === identity.identity_value,
  );
}

function identitiesOf(subject: ProcessorSubject): OpenDsrIdentity[] {
  return Object.entries(subject.identities).flatMap(([type, value]) =>
    value === undefined
      ? []
      : [
          {
            identity_type: type as OpenDsrIdentity['identity_type'],
            identity_value: value,
            identity_format: 'raw' as const,
          },
        ],
  );
}

/** Why `body` is not a valid request, or undefined if it is. */
function invalidRequest(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return 'body must be a JSON object';
  const request = body as Partial<OpenDsrRequest>;
  if (typeof request.subject_request_id !== 'string' || !isUuid(request.subject_request_id)) {
    return 'subject_request_id must be a UUID';
  }
  if (!REQUEST_TYPES.has(String(request.subject_request_type))) {
    return 'subject_request_type must be erasure, access or rectification';
  }
  if (request.subject_request_type === 'rectification') {
    const rectifications = request.rectifications as unknown;
    if (
      !Array.isArray(rectifications) ||
      rectifications.length === 0 ||
      rectifications.some(
        (entry) =>
          typeof entry?.category !== 'string' ||
          typeof entry?.field !== 'string' ||
          (!['string', 'number', 'boolean'].includes(typeof entry?.value) && entry?.value !== null),
      )
    ) {
      return 'a rectification request needs rectifications: [{ category, field, value }]';
    }
  }
  if (!Array.isArray(request.subject_identities) || request.subject_identities.length === 0) {
    return 'subject_identities must be a non-empty array';
  }
  for (const identity of request.subject_identities as unknown[]) {
    const candidate = identity as Partial<OpenDsrIdentity> | null;
    if (
      !IDENTITY_TYPES.has(String(candidate?.identity_type)) ||
      typeof candidate?.identity_value !== 'string' ||
      candidate.identity_format !== 'raw'
    ) {
      return 'each subject identity needs a supported identity_type, an identity_value and identity_format raw';
    }
  }
  const callbacks = request.status_callback_urls;
  if (callbacks !== undefined && (!Array.isArray(callbacks) || callbacks.some((url) => !URL.canParse(url)))) {
    return 'status_callback_urls must be URLs';
  }
  return undefined;
}

/** Starts the fake processor on 127.0.0.1. */
export async function startFakeProcessor(options: FakeProcessorOptions): Promise<FakeProcessor> {
  let subjects: ProcessorSubject[] = (options.subjects ?? []).map((subject) => ({ ...subject }));
  const requests = new Map<string, StoredRequest>();
  const callbacks = new Set<Promise<void>>();
  let faults = { remaining: 0, status: 503 };
  // Faults for one controller request only (by subject_request_id prefix), so a
  // test on a shared stack can make its own request fail without touching others'.
  const scopedFaults = new Map<string, { remaining: number; status: number }>();
  // Faults for one data subject (by email): every call about a request that names the address.
  const subjectFaults = new Map<string, { remaining: number; status: number }>();
  const scopedFault = (request: OpenDsrRequest | undefined, id = request?.subject_request_id) => {
    if (id === undefined) return undefined;
    for (const [prefix, fault] of scopedFaults) {
      if (id.startsWith(prefix) && fault.remaining > 0) {
        fault.remaining--;
        return fault.status;
      }
    }
    for (const identity of request?.subject_identities ?? []) {
      const fault =
        identity.identity_type === 'email' ? subjectFaults.get(identity.identity_value) : undefined;
      if (fault !== undefined && fault.remaining > 0) {
        fault.remaining--;
        return fault.status;
      }
    }
    return undefined;
  };
  let endpoint = '';
  const deliveries: PortabilityDelivery[] = [];

  const receivePortability = async (request: IncomingMessage, response: ServerResponse) => {
    let body: Buffer;
    try {
      body = await readBody(request, INBOX_LIMIT_BYTES);
    } catch {
      return send(response, 413, { error: `body must be at most ${INBOX_LIMIT_BYTES} bytes` });
    }
    const digest = createHash('sha256').update(body);
    const sha256 = digest.copy().digest('hex');
    const contentDigest = header(request, 'content-digest');
    if (contentDigest !== `sha-256=:${digest.digest('base64')}:`) {
      return send(response, 400, { error: 'Content-Digest does not match the body' });
    }
    const idempotencyKey = header(request, 'idempotency-key');
    const index = deliveries.findIndex((known) => idempotencyKey && known.idempotencyKey === idempotencyKey);
    const known = deliveries[index];
    if (known) {
      if (known.sha256 !== sha256)
        return send(response, 422, { error: 'Idempotency-Key reused for other content' });
      deliveries[index] = { ...known, pushes: known.pushes + 1 };
      return send(response, 200, { receipt: known.receipt, repeated: true });
    }
    const receipt = `inbox-${randomUUID()}`;
    deliveries.push({
      requestId: header(request, 'x-dsar-request-id'),
      idempotencyKey,
      contentType: header(request, 'content-type'),
      contentDigest,
      sha256,
      bytes: body.byteLength,
      body: body.toString('base64'),
      receipt,
      pushes: 1,
    });
    return send(response, 201, { receipt });
  };

  /** `base`: where results are served; a status read answers with the origin it was asked on (a proxy's). */
  const statusOf = (stored: StoredRequest, base = endpoint): OpenDsrStatus => ({
    api_version: OPENDSR_API_VERSION,
    subject_request_id: stored.request.subject_request_id,
    request_status: stored.status,
    expected_completion_time: stored.expectedCompletion,
    ...(stored.status === 'completed' && stored.request.subject_request_type === 'access'
      ? { results_url: `${base}/${stored.request.subject_request_id}/results` }
      : {}),
    ...(stored.receipt === undefined
      ? {}
      : { deletion_receipt_id: stored.receipt, records_deleted: stored.recordsDeleted ?? 0 }),
    ...(stored.rectified === undefined ? {} : { rectified_records: stored.rectified }),
  });

  const deliverCallbacks = (stored: StoredRequest) => {
    const body = JSON.stringify(statusOf(stored));
    for (const url of stored.request.status_callback_urls ?? []) {
      const delivery = fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signCallback(body, options.secret),
        },
        body,
        signal: AbortSignal.timeout(5_000),
      })
        .then(() => {})
        // A controller that cannot be reached polls instead; a processor does not fail the request for it.
        .catch(() => {});
      callbacks.add(delivery);
      void delivery.finally(() => callbacks.delete(delivery));
    }
  };

  const complete = (stored: StoredRequest) => {
    if (stored.status === 'completed') return;
    for (const timer of stored.timers) clearTimeout(timer);
    const { subject_identities: identities, subject_request_type: type } = stored.request;
    const matching = subjects.filter((subject) => matches(subject, identities));
    if (type === 'rectification') {
      const rectifications = stored.request.rectifications ?? [];
      const rectified: OpenDsrRectifiedRecord[] = [];
      subjects = subjects.map((subject) => {
        if (!matches(subject, identities)) return subject;
        const outcome = rectify(subject.records, rectifications);
        rectified.push(...outcome.rectified);
        return { ...subject, records: outcome.records };
      });
      stored.rectified = rectified;
    } else if (type === 'erasure') {
      stored.recordsDeleted = matching.reduce((sum, subject) => sum + subject.records.length, 0);
      stored.receipt = `receipt-${randomUUID()}`;
      subjects = subjects.map((subject) =>
        matches(subject, identities) ? { ...subject, records: [] } : subject,
      );
    } else {
      stored.results = matching.flatMap((subject) => subject.records);
    }
    stored.status = 'completed';
    deliverCallbacks(stored);
  };

  const receive = (request: OpenDsrRequest, response: ServerResponse) => {
    const existing = requests.get(request.subject_request_id);
    if (existing !== undefined) {
      send(response, 409, {
        error: 'subject_request_id already exists',
        subject_request_id: existing.request.subject_request_id,
      });
      return;
    }
    const received = new Date();
    const stored: StoredRequest = {
      request,
      expectedCompletion: new Date(received.getTime() + options.completionDelayMs).toISOString(),
      status: 'pending',
      timers: [],
    };
    stored.timers.push(
      setTimeout(() => {
        if (stored.status === 'pending') stored.status = 'in_progress';
      }, options.completionDelayMs / 2),
      setTimeout(() => complete(stored), options.completionDelayMs),
    );
    requests.set(request.subject_request_id, stored);
    const created: OpenDsrCreated = {
      subject_request_id: request.subject_request_id,
      received_time: received.toISOString(),
      expected_completion_time: stored.expectedCompletion,
    };
    send(response, 201, created);
  };

  const route = async (request: IncomingMessage, response: ServerResponse) => {
    if (faults.remaining > 0) {
      faults.remaining--;
      send(response, faults.status, { error: 'injected failure' });
      return;
    }
    const requestUrl = new URL(request.url ?? '/', 'http://processor');
    const path = requestUrl.pathname;
    if (path === INBOX_PATH && request.method === 'POST') return receivePortability(request, response);
    if (path === INBOX_PATH && request.method === 'GET') {
      const requestId = requestUrl.searchParams.get('requestId');
      return send(
        response,
        200,
        deliveries.filter((delivery) => requestId === null || delivery.requestId === requestId),
      );
    }
    if (request.method === 'POST' && path === '/_control/faults') {
      const fault = JSON.parse((await readBody(request, BODY_LIMIT_BYTES)).toString('utf8')) as {
        subjectRequestIdPrefix?: string;
        subjectEmail?: string;
        failures: number;
        status?: number;
      };
      const scoped = { remaining: fault.failures, status: fault.status ?? 503 };
      if (fault.subjectRequestIdPrefix !== undefined) scopedFaults.set(fault.subjectRequestIdPrefix, scoped);
      else if (fault.subjectEmail !== undefined) subjectFaults.set(fault.subjectEmail, scoped);
      else return send(response, 400, { error: 'name subjectRequestIdPrefix or subjectEmail' });
      return send(response, 200, { ok: true });
    }
    const [, base, id, rest, ...extra] = path.split('/');
    const injected = scopedFault(id === undefined ? undefined : requests.get(id)?.request, id);
    if (injected !== undefined) return send(response, injected, { error: 'injected failure' });
    if (base !== 'opendsr' || extra.length > 0) return send(response, 404, { error: 'not found' });
    if (request.method === 'GET' && id === 'discovery' && rest === undefined) {
      return send(response, 200, {
        api_version: OPENDSR_API_VERSION,
        supported_identities: [...IDENTITY_TYPES].map((identity_type) => ({
          identity_type,
          identity_format: 'raw',
        })),
        supported_subject_request_types: [...REQUEST_TYPES],
      });
    }
    if (request.method === 'POST' && (id === undefined || id === '')) {
      let body: unknown;
      try {
        body = JSON.parse((await readBody(request, BODY_LIMIT_BYTES)).toString('utf8'));
      } catch {
        return send(response, 400, { error: 'body must be JSON of at most 64 KiB' });
      }
      const problem = invalidRequest(body);
      if (problem !== undefined) return send(response, 400, { error: problem });
      const injectedOnCreate = scopedFault(body as OpenDsrRequest);
      if (injectedOnCreate !== undefined)
        return send(response, injectedOnCreate, { error: 'injected failure' });
      return receive(body as OpenDsrRequest, response);
    }
    const stored = id === undefined ? undefined : requests.get(id);
    if (request.method !== 'GET' || stored === undefined) return send(response, 404, { error: 'not found' });
    if (rest === undefined) {
      // As a processor behind its public name would: results on the host the caller reached.
      const host = request.headers.host;
      const base = host === undefined ? endpoint : `http://${host}${new URL(endpoint).pathname}`;
      return send(response, 200, statusOf(stored, base));
    }
    if (rest === 'results' && stored.results !== undefined) {
      const results: OpenDsrResults = {
        subject_request_id: stored.request.subject_request_id,
        records: stored.results,
      };
      return send(response, 200, results);
    }
    return send(response, 404, { error: 'not found' });
  };

  const server = createServer((request, response) => {
    route(request, response).catch(() => send(response, 500, { error: 'internal error' }));
  });
  const listening = await serveOnLoopback(server, options.port ?? 0);
  endpoint = `${listening.url}/opendsr`;

  return {
    url: endpoint,
    portabilityInbox: `${listening.url}${INBOX_PATH}`,
    portabilityDeliveries: () => [...deliveries],
    dataFor: (identity) => {
      const given: OpenDsrIdentity[] = [
        ...(identity.email === undefined
          ? []
          : [{ identity_type: 'email' as const, identity_value: identity.email }]),
        ...(identity.phone === undefined
          ? []
          : [{ identity_type: 'phone_number' as const, identity_value: identity.phone }]),
        ...(identity.accountId === undefined
          ? []
          : [{ identity_type: 'controller_customer_id' as const, identity_value: identity.accountId }]),
      ].map((entry) => ({ ...entry, identity_format: 'raw' as const }));
      return subjects.filter((subject) => matches(subject, given)).flatMap((subject) => [...subject.records]);
    },
    load: (loaded) => {
      for (const subject of loaded) {
        const identities = identitiesOf(subject);
        subjects = [...subjects.filter((known) => !matches(known, identities)), { ...subject }];
      }
    },
    requests: () =>
      [...requests.values()].map((stored) => ({
        subjectRequestId: stored.request.subject_request_id,
        type: stored.request.subject_request_type,
        status: stored.status,
      })),
    failNext: (count, status = 503) => {
      faults = { remaining: count, status };
    },
    completeAll: async () => {
      for (const stored of requests.values()) complete(stored);
      await Promise.all(callbacks);
    },
    stop: async () => {
      for (const stored of requests.values()) for (const timer of stored.timers) clearTimeout(timer);
      await Promise.all(callbacks);
      await listening.stop();
    },
  };
}
