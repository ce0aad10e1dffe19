/**
 * Outbound HTTP to an endpoint a requester named (a portability recipient)
 * or a processor's answer could steer (its OpenDSR calls, adapters/aws/connector-factory.ts),
 * guarded against server-side request forgery:
 *
 * - the host is resolved once, and EVERY address it resolves to must be
 *   globally routable (domain/portability/address-policy.ts): one private
 *   answer among public ones is enough to refuse, since a resolver may hand
 *   out either;
 * - the connection goes to the address that was checked (a `lookup` pinned to
 *   it on a fresh agent), so a second DNS answer (rebinding) cannot switch it;
 *   TLS still verifies the certificate against the host name;
 * - no redirect is followed (a 3xx is an answer, not a new target);
 * - the whole exchange has a deadline, and the answer is read up to a cap.
 *
 * The one exception is an explicit allow-list of origins
 * (`PORTABILITY_ALLOWED_ORIGINS`, comma-separated), which only local mode sets
 * (to its fake processor on 127.0.0.1, reached over plain http); on AWS it is
 * unset, so nothing is exempt.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PermanentError, TransientError } from '../../domain/errors';
import { addressRefusal } from '../../domain/portability/address-policy';
import { endpointOrigin, endpointProblem } from '../../domain/portability/endpoint';

/** The endpoint itself is not acceptable (bad URL, or an address it may not reach): permanent. */
export class EndpointRefused extends PermanentError {
  override readonly name = 'EndpointRefused' as const;
  readonly code = 'endpoint-refused';
}

/** The endpoint could not be resolved or reached, or did not answer in time: worth retrying. */
export class EndpointUnreachable extends TransientError {
  override readonly name = 'EndpointUnreachable' as const;
  readonly code = 'endpoint-unreachable';
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address a host name resolves to (A and AAAA), as the system resolver gives them. */
export type ResolveHost = (hostname: string) => Promise<readonly ResolvedAddress[]>;

const systemResolver: ResolveHost = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

export interface PinnedEndpoint {
  readonly url: URL;
  /** The checked address every connection of this push goes to. */
  readonly address: string;
  readonly family: 4 | 6;
  /** True for an allow-listed origin: its addresses were not checked. */
  readonly allowListed: boolean;
}

/** The origins `PORTABILITY_ALLOWED_ORIGINS` lists (empty when unset, as on AWS). */
export function allowedPortabilityOrigins(value = process.env.PORTABILITY_ALLOWED_ORIGINS): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .flatMap((entry) => {
      const origin = entry === '' ? undefined : endpointOrigin(entry);
      return origin === undefined ? [] : [origin];
    });
}

function hostnameOf(url: URL): string {
  // URL keeps the brackets of an IPv6 literal; resolvers and sockets want the bare address.
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Resolves the endpoint's host and checks every address; answers the address
 * to connect to. Throws EndpointRefused for an endpoint that may never be
 * reached and EndpointUnreachable when resolution fails (possibly for now).
 */
export async function pinEndpoint(
  endpoint: string,
  options: { readonly allowedOrigins: readonly string[]; readonly resolve?: ResolveHost },
): Promise<PinnedEndpoint> {
  const problem = endpointProblem(endpoint, options.allowedOrigins);
  if (problem !== undefined) throw new EndpointRefused(`The endpoint ${problem}`);
  const url = new URL(endpoint);
  const hostname = hostnameOf(url);
  const allowListed = options.allowedOrigins.includes(url.origin);
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await (options.resolve ?? systemResolver)(hostname);
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error instanceof Error ? error.name : 'unknown');
    throw new EndpointUnreachable(`${hostname} could not be resolved (${code})`);
  }
  const first = addresses[0];
  if (first === undefined) throw new EndpointUnreachable(`${hostname} resolved to no address`);
  if (!allowListed) {
    for (const { address } of addresses) {
      const refusal = addressRefusal(address);
      if (refusal !== undefined) {
        throw new EndpointRefused(`${hostname} resolves to a ${refusal} address, which may not be reached`);
      }
    }
  }
  return { url, address: first.address, family: first.family, allowListed };
}

export interface GuardedRequestInput {
  readonly endpoint: PinnedEndpoint;
  /** @default 'POST' */
  readonly method?: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  /** Streamed; omitted for a GET. */
  readonly body?: Readable | string;
  /** Deadline of the whole exchange, body included. @default 240000 */
  readonly timeoutMs?: number;
  /** Longest silence on the socket. @default 30000 */
  readonly idleTimeoutMs?: number;
  /** The answer is read up to this many bytes; the rest is dropped. @default 65536 */
  readonly maxAnswerBytes?: number;
}

export interface GuardedPostInput extends GuardedRequestInput {
  readonly body: Readable;
}

export interface GuardedAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
  /** True if the answer was longer than the cap and was cut. */
  readonly truncated: boolean;
}

async function readCapped(response: IncomingMessage, maxBytes: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBytes) {
      truncated = true;
      chunks.push(chunk.subarray(0, chunk.byteLength - (size - maxBytes)));
      break; // leaving the loop destroys the response: the rest is never read
    }
    chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks).toString('utf8'), truncated };
}

/**
 * POSTs `body` (streamed) to the pinned endpoint and answers its status and
 * (capped) body. A 3xx is returned as it is, never followed. Network failures
 * and timeouts throw EndpointUnreachable.
 */
export function guardedPost(input: GuardedPostInput): Promise<GuardedAnswer> {
  return guardedRequest({ ...input, method: 'POST' });
}

/**
 * One call to the pinned endpoint (a portability push, a processor's OpenDSR
 * call): its status and (capped) body. A 3xx is returned as it is, never
 * followed. Network failures and timeouts throw EndpointUnreachable.
 */
export async function guardedRequest(input: GuardedRequestInput): Promise<GuardedAnswer> {
  const { url, address, family } = input.endpoint;
  const pinnedLookup = ((_hostname, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
  const options: RequestOptions = {
    method: input.method ?? 'POST',
    hostname: hostnameOf(url),
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: `${url.pathname}${url.search}`,
    headers: { ...input.headers },
    lookup: pinnedLookup,
    // A fresh connection per push: a pooled socket could have been opened to another address.
    agent: false,
    timeout: input.idleTimeoutMs ?? 30_000,
    signal: AbortSignal.timeout(input.timeoutMs ?? 240_000),
  };
  const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(options);
  request.on('timeout', () => request.destroy(new Error('socket idle timeout')));
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  // A recipient may answer (413, 401) before reading the whole body and close: its answer counts.
  const body = input.body;
  const sending =
    body === undefined || typeof body === 'string'
      ? new Promise<void>((resolve, reject) => {
          request.once('error', reject);
          if (body === undefined) request.end(() => resolve());
          else request.end(body, () => resolve());
        })
      : pipeline(body, request);
  const [sent, response] = await Promise.allSettled([sending, answered]);
  if (response.status === 'rejected') {
    const error = response.reason as { code?: string; name?: string };
    throw new EndpointUnreachable(`${url.host} did not answer (${error.code ?? error.name ?? 'error'})`);
  }
  if (sent.status === 'rejected' && response.value.statusCode === undefined) {
    throw new EndpointUnreachable(`${url.host} closed the connection`);
  }
  try {
    const { body, truncated } = await readCapped(response.value, input.maxAnswerBytes ?? 64 * 1024);
    return {
      status: response.value.statusCode ?? 0,
      contentType: response.value.headers['content-type'],
      body,
      truncated,
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'error';
    throw new EndpointUnreachable(`${url.host} broke off its answer (${code})`);
  }
}
