/**
 * The connector for a processor reached over OpenDSR (see ./opendsr): the
 * pipeline asks; the processor finds, exports and erases on its side.
 *
 * - erase: POST an erasure request, then poll its status with backoff until
 *   it is completed or the deadline passes (ConnectorTransientError: the
 *   workflow retries the step). The request's `subject_request_id` is a
 *   name-based UUID of `<requestId>:<storeId>`, so a re-run of the step gets
 *   409 for its POST and follows the request made before — never a second
 *   one. The processor's deletion receipt is kept (ErasureOutcome.receipts).
 *   Counts are reported by the run that sees the request complete; a re-run
 *   that finds it already completed changed nothing and reports 0 (with the
 *   receipt again).
 * - find / export: an access request (a fresh id each call: asking twice has
 *   no side effect), whose results are the subject's records there.
 * - verifyErasure: the status of the erasure request; only `completed` proves
 *   anything, and then nothing remains.
 * - correct: a rectification request (an OpenDSR extension, see ./opendsr),
 *   only to a processor whose discovery document offers it (otherwise
 *   FieldNotCorrectable). Named like the erasure request
 *   (`<requestId>:<storeId>:rectification`), so asking again follows the
 *   same request; still running at the deadline, it is reported `pending`
 *   and the next call reports what the processor did.
 *
 * Processors are trusted less than our own stores: no call follows a redirect
 * (a 3xx is refused, ProcessorAnswerRefused), every answer is read up to a cap
 * (streamed; past it the call is aborted and refused), and the `results_url`
 * of an access request is fetched only when it is on the endpoint's own origin,
 * so the credential headers never go anywhere else. The connector factory
 * refuses an endpoint that is not https:// outside local mode, and on AWS the
 * calls go through the portability pushes' outbound guard (`transport`).
 *
 * Processors erase whole subjects, so every category of such a store must
 * have the `delete` erasure mode; anything else is refused when the connector
 * is made. Callbacks (a later route) are checked with
 * `verifyCallbackSignature` from ./callback-signature.
 */
import { randomUUID } from 'node:crypto';
import { PermanentError } from '../../domain/errors';
import { endpointProblem } from '../../domain/portability/endpoint';
import type { StoreDefinition } from '../../domain/stores/schema';
import {
  assertCorrectable,
  type Connector,
  ConnectorPermanentError,
  ConnectorTransientError,
  type CorrectionContext,
  type CorrectionOutcome,
  type ErasureContext,
  type ErasureOutcome,
  type ExportedRecord,
  type FieldChange,
  FieldNotCorrectable,
  type RemainingData,
  type SubjectIdentity,
} from '../contract';
import {
  nameBasedUuid,
  OPENDSR_API_VERSION,
  type OpenDsrIdentity,
  type OpenDsrRequest,
  type OpenDsrRequestType,
  type OpenDsrResults,
  type OpenDsrStatus,
} from './opendsr';

export type HttpProcessorStoreDefinition = Extract<StoreDefinition, { kind: 'http-processor' }>;

export interface HttpProcessorConnectorOptions {
  /** Overrides the registry's endpoint (the local stack's fake processor runs on a port chosen at start). */
  readonly endpoint?: string;
  /** Where the processor should POST status changes (the pipeline's callback route), if any. */
  readonly callbackUrl?: string;
  /** First wait between status polls; doubles up to `maxPollIntervalMs`. @default 500 */
  readonly pollIntervalMs?: number;
  /** @default 10_000 */
  readonly maxPollIntervalMs?: number;
  /** How long one call polls before giving up with a transient error. @default 60_000 */
  readonly deadlineMs?: number;
  /**
   * How long `correct` polls before reporting the rectification pending: it
   * answers a console call, which must finish well inside the HTTP API's 29 s. @default 10_000
   */
  readonly correctionDeadlineMs?: number;
  /** Per HTTP call. @default 10_000 */
  readonly requestTimeoutMs?: number;
  /**
   * Headers that authenticate the pipeline to the processor (the store's
   * `credentialsSecret`), read before each call through the functions'
   * secrets cache. @default none
   */
  readonly readCredentialHeaders?: () => Promise<Readonly<Record<string, string>>>;
  /** The most bytes of an access request's results read before the call is refused. @default 32 MiB */
  readonly maxResultsBytes?: number;
  /** The most bytes of any other answer (a status, the discovery document). @default 1 MiB */
  readonly maxAnswerBytes?: number;
  /** How the HTTP calls are made. @default fetchTransport (no redirects, capped, streamed) */
  readonly transport?: ProcessorTransport;
}

/** One HTTP call to a processor. */
export interface ProcessorHttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** Past this many bytes the answer is not read further: `oversize`. */
  readonly maxBytes: number;
}

export interface ProcessorHttpAnswer {
  /** A 3xx is returned as it is: a transport never follows a redirect. */
  readonly status: number;
  readonly body: string;
  /** True if the answer was longer than `maxBytes` (its body is then incomplete and not used). */
  readonly oversize: boolean;
}

/**
 * Makes one call. Throws when the processor could not be reached or its answer
 * broke off (retried); a `PermanentError` it throws (an endpoint it may never
 * reach) is a permanent failure of the store.
 */
export type ProcessorTransport = (request: ProcessorHttpRequest) => Promise<ProcessorHttpAnswer>;

/**
 * The processor's answer is not one we act on: a redirect, more than the cap,
 * or results on another origin than the processor's endpoint. Not retried: the
 * same processor gives the same answer.
 */
export class ProcessorAnswerRefused extends ConnectorPermanentError {
  override readonly name: string = 'ProcessorAnswerRefused';
  override readonly code: string = 'processor-answer-refused';
}

/**
 * Why a processor endpoint may not be used, or undefined if it may: https://
 * only, except the origins `plainHttpOrigins` lists (local mode's fake
 * processor on 127.0.0.1; nothing on AWS).
 */
export function processorEndpointProblem(
  endpoint: string,
  plainHttpOrigins: readonly string[] = [],
): string | undefined {
  // The portability recipient's rule: absolute https://, no credentials in the URL.
  return endpointProblem(endpoint, plainHttpOrigins);
}

/**
 * The default transport: fetch with `redirect: 'manual'` (the 3xx comes back
 * as an answer), the body streamed and counted, the call aborted past the cap.
 */
export const fetchTransport: ProcessorTransport = async (request) => {
  const abort = new AbortController();
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    redirect: 'manual',
    signal: AbortSignal.any([abort.signal, AbortSignal.timeout(request.timeoutMs)]),
  });
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  if (reader !== undefined) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > request.maxBytes) {
        // Nothing more is read or buffered: the connection is dropped.
        abort.abort();
        await reader.cancel().catch(() => undefined);
        return { status: response.status, body: '', oversize: true };
      }
      chunks.push(value);
    }
  }
  return { status: response.status, body: Buffer.concat(chunks).toString('utf8'), oversize: false };
};

type Identity = SubjectIdentity;

function identitiesOf(identity: Identity): OpenDsrIdentity[] {
  const identities: OpenDsrIdentity[] = [];
  const add = (identity_type: OpenDsrIdentity['identity_type'], value: string | undefined) => {
    if (value !== undefined && value !== '') {
      identities.push({ identity_type, identity_value: value, identity_format: 'raw' });
    }
  };
  add('email', identity.email);
  add('phone_number', identity.phone);
  add('controller_customer_id', identity.accountId);
  return identities;
}

const NOTHING_ERASED: ErasureOutcome = { deleted: 0, anonymised: 0, retained: 0, retainedBases: [] };
const NOTHING_REMAINS: RemainingData = { remaining: 0, anonymised: 0, retained: 0, retainedBases: [] };

interface Response {
  readonly status: number;
  readonly body: unknown;
}

export class HttpProcessorConnector implements Connector {
  private readonly endpoint: string;

  constructor(
    readonly store: HttpProcessorStoreDefinition,
    private readonly options: HttpProcessorConnectorOptions = {},
  ) {
    this.endpoint = (options.endpoint ?? store.httpProcessor.endpoint).replace(/\/+$/, '');
    const notDeleted = store.categories.find((category) => category.erasure.mode !== 'delete');
    if (notDeleted !== undefined) {
      throw new ConnectorPermanentError(
        store.id,
        `category ${notDeleted.id}: a processor can only be asked to erase (mode delete)`,
      );
    }
  }

  async healthCheck(): Promise<void> {
    const { status } = await this.call('GET', `${this.endpoint}/discovery`, 'health check');
    if (status !== 200) throw this.failure('health check', status);
  }

  async find(identity: Identity): Promise<{ count: number; resolved: SubjectIdentity }> {
    if (identitiesOf(identity).length === 0) return { count: 0, resolved: {} };
    const records = await this.access(identity);
    return { count: records.length, resolved: {} };
  }

  async *export(identity: Identity): AsyncIterable<ExportedRecord> {
    if (identitiesOf(identity).length === 0) return;
    const categories = this.store.categories.map((category) => category.id);
    const [fallback = ''] = categories;
    for (const [index, record] of (await this.access(identity)).entries()) {
      const category =
        typeof record.category === 'string' && categories.includes(record.category)
          ? record.category
          : fallback;
      const key = record.id;
      yield {
        storeId: this.store.id,
        category,
        recordKey: typeof key === 'string' || typeof key === 'number' ? String(key) : `record-${index + 1}`,
        data: record,
      };
    }
  }

  async erase(identity: Identity, context: ErasureContext): Promise<ErasureOutcome> {
    if (identitiesOf(identity).length === 0) return NOTHING_ERASED;
    const id = this.erasureRequestId(context);
    const created = await this.submit('erasure', id, identity, context.now);
    const before = created ? undefined : await this.status(id, 'erasure');
    if (before?.request_status === 'completed') return { ...NOTHING_ERASED, receipts: receiptsOf(before) };
    const done = await this.pollUntilCompleted(id, 'erasure');
    return { ...NOTHING_ERASED, deleted: done.records_deleted ?? 0, receipts: receiptsOf(done) };
  }

  async verifyErasure(identity: Identity, context: ErasureContext): Promise<RemainingData> {
    if (identitiesOf(identity).length === 0) return NOTHING_REMAINS;
    const status = await this.status(this.erasureRequestId(context), 'verification');
    if (status === undefined) {
      throw new ConnectorPermanentError(this.store.id, 'verification: the processor has no erasure request');
    }
    if (status.request_status !== 'completed') {
      throw new ConnectorTransientError(
        this.store.id,
        `verification: the erasure request is ${status.request_status}`,
      );
    }
    return NOTHING_REMAINS;
  }

  async correct(
    identity: Identity,
    changes: readonly FieldChange[],
    context: CorrectionContext,
  ): Promise<CorrectionOutcome> {
    assertCorrectable(this.store, changes);
    if (identitiesOf(identity).length === 0) return { status: 'applied', records: [] };
    const id = nameBasedUuid(`${context.requestId}:${this.store.id}:rectification`);
    let done = await this.status(id, 'rectification');
    if (done === undefined) {
      await this.assertOffers('rectification');
      await this.submit('rectification', id, identity, context.now, changes);
    }
    if (done?.request_status !== 'completed') {
      // Still running at the deadline is no failure: the console answers now, and asking again reports it.
      done = await this.pollUntilCompleted(id, 'rectification', {
        undefinedAtDeadline: true,
        deadlineMs: this.options.correctionDeadlineMs ?? 10_000,
      });
      if (done === undefined)
        return { status: 'pending', records: [], waitingFor: 'processor', reference: id };
    }
    return {
      status: 'applied',
      records: (done.rectified_records ?? []).map((record) => ({
        recordKey: record.record_id,
        category: record.category,
        field: record.field,
        before: record.before,
        after: record.after,
        changed: record.changed,
      })),
    };
  }

  /** Refuses a request type the processor's discovery document does not list. */
  private async assertOffers(type: OpenDsrRequestType): Promise<void> {
    const { status, body } = await this.call('GET', `${this.endpoint}/discovery`, 'discovery');
    if (status !== 200) throw this.failure('discovery', status);
    const offered = (body as { supported_subject_request_types?: unknown } | undefined)
      ?.supported_subject_request_types;
    if (!Array.isArray(offered) || !offered.includes(type)) {
      throw new FieldNotCorrectable(this.store.id, `the processor does not accept ${type} requests`);
    }
  }

  /** The `subject_request_id` of this request's erasure at this store, the same on every re-run. */
  erasureRequestId(context: ErasureContext): string {
    return nameBasedUuid(`${context.requestId}:${this.store.id}`);
  }

  private async access(identity: Identity): Promise<readonly Readonly<Record<string, unknown>>[]> {
    const id = randomUUID();
    await this.submit('access', id, identity, new Date().toISOString());
    const done = await this.pollUntilCompleted(id, 'access');
    if (done.results_url === undefined) {
      throw new ConnectorPermanentError(this.store.id, 'access: the completed request has no results_url');
    }
    const { status, body } = await this.call('GET', this.resultsUrl(done.results_url), 'access results', {
      maxBytes: this.options.maxResultsBytes ?? 32 * 1024 * 1024,
    });
    if (status !== 200) throw this.failure('access results', status);
    const records = (body as Partial<OpenDsrResults> | undefined)?.records;
    if (!Array.isArray(records)) {
      throw new ConnectorPermanentError(this.store.id, 'access: the results hold no records array');
    }
    return records;
  }

  /**
   * The results URL, only on the endpoint's own origin (scheme, host and port):
   * the credential headers go with the fetch, so a processor's answer must not
   * send them (or our egress) anywhere else. Never named in the error: it may
   * carry a token.
   */
  private resultsUrl(resultsUrl: string): string {
    let url: URL | undefined;
    try {
      url = new URL(resultsUrl, `${this.endpoint}/`);
    } catch {
      url = undefined;
    }
    if (url === undefined || url.origin !== new URL(this.endpoint).origin) {
      throw new ProcessorAnswerRefused(
        this.store.id,
        `access: the results_url is not on the processor's origin ${new URL(this.endpoint).origin}; it is not fetched`,
      );
    }
    return url.toString();
  }

  /** POSTs a request; true if the processor created it, false if it already had one with this id. */
  private async submit(
    type: OpenDsrRequestType,
    id: string,
    identity: Identity,
    now: string,
    changes?: readonly FieldChange[],
  ): Promise<boolean> {
    const request: OpenDsrRequest = {
      api_version: OPENDSR_API_VERSION,
      subject_request_id: id,
      subject_request_type: type,
      submitted_time: now,
      subject_identities: identitiesOf(identity),
      ...(this.options.callbackUrl === undefined ? {} : { status_callback_urls: [this.options.callbackUrl] }),
      ...(changes === undefined
        ? {}
        : { rectifications: changes.map(({ category, field, value }) => ({ category, field, value })) }),
    };
    const { status } = await this.call('POST', this.endpoint, type, { body: request });
    if (status === 201 || status === 200) return true;
    if (status === 409) return false;
    throw this.failure(type, status);
  }

  /** The request's status, or undefined if the processor does not know it. */
  private async status(id: string, doing: string): Promise<OpenDsrStatus | undefined> {
    const { status, body } = await this.call('GET', `${this.endpoint}/${id}`, doing);
    if (status === 404) return undefined;
    if (status !== 200) throw this.failure(doing, status);
    return body as OpenDsrStatus;
  }

  private pollUntilCompleted(id: string, doing: string): Promise<OpenDsrStatus>;
  private pollUntilCompleted(
    id: string,
    doing: string,
    options: { undefinedAtDeadline: true; deadlineMs: number },
  ): Promise<OpenDsrStatus | undefined>;
  private async pollUntilCompleted(
    id: string,
    doing: string,
    options?: { undefinedAtDeadline: true; deadlineMs: number },
  ): Promise<OpenDsrStatus | undefined> {
    const deadline = Date.now() + (options?.deadlineMs ?? this.options.deadlineMs ?? 60_000);
    let interval = this.options.pollIntervalMs ?? 500;
    for (;;) {
      const status = await this.status(id, doing);
      if (status === undefined) {
        throw new ConnectorPermanentError(this.store.id, `${doing}: the processor lost request ${id}`);
      }
      if (status.request_status === 'completed') return status;
      if (status.request_status === 'cancelled') {
        throw new ConnectorPermanentError(this.store.id, `${doing}: the processor cancelled request ${id}`);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 && options?.undefinedAtDeadline) return undefined;
      if (remaining <= 0) {
        throw new ConnectorTransientError(
          this.store.id,
          `${doing}: request ${id} is still ${status.request_status} at the deadline`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(interval, remaining)));
      interval = Math.min(interval * 2, this.options.maxPollIntervalMs ?? 10_000);
    }
  }

  private async call(
    method: 'GET' | 'POST',
    url: string,
    doing: string,
    options: { readonly body?: unknown; readonly maxBytes?: number } = {},
  ): Promise<Response> {
    const { body } = options;
    const maxBytes = options.maxBytes ?? this.options.maxAnswerBytes ?? 1024 * 1024;
    let answer: ProcessorHttpAnswer;
    const credentials = (await this.options.readCredentialHeaders?.()) ?? {};
    try {
      answer = await (this.options.transport ?? fetchTransport)({
        method,
        url,
        headers: {
          ...credentials,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        timeoutMs: this.options.requestTimeoutMs ?? 10_000,
        maxBytes,
      });
    } catch (error) {
      if (error instanceof PermanentError) {
        throw new ConnectorPermanentError(this.store.id, `${doing}: the processor may not be called`, {
          cause: error,
        });
      }
      // Refused, reset, unresolvable, timed out, or the answer broke off: the processor may answer later.
      // (Reading a broken-off answer as empty would turn a status into "unknown request".)
      throw new ConnectorTransientError(this.store.id, `${doing}: the processor could not be reached`, {
        cause: error,
      });
    }
    if (answer.status >= 300 && answer.status < 400) {
      throw new ProcessorAnswerRefused(
        this.store.id,
        `${doing}: the processor answered a redirect (HTTP ${answer.status}); redirects are not followed`,
      );
    }
    if (answer.oversize) {
      throw new ProcessorAnswerRefused(
        this.store.id,
        `${doing}: the answer is longer than ${maxBytes} bytes`,
      );
    }
    let parsed: unknown;
    try {
      parsed = answer.body === '' ? undefined : JSON.parse(answer.body);
    } catch {
      parsed = undefined;
    }
    return { status: answer.status, body: parsed };
  }

  /** 429 and 5xx are worth retrying; any other unexpected status is not. */
  private failure(doing: string, status: number): ConnectorTransientError | ConnectorPermanentError {
    const message = `${doing}: the processor answered HTTP ${status}`;
    return status === 429 || status >= 500
      ? new ConnectorTransientError(this.store.id, message)
      : new ConnectorPermanentError(this.store.id, message);
  }
}

function receiptsOf(status: OpenDsrStatus): string[] {
  return status.deletion_receipt_id === undefined ? [] : [status.deletion_receipt_id];
}
