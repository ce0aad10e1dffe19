/**
 * The http-processor connector trusts the processor's answers less than its
 * own configuration: against real local HTTP servers (node:http), a results_url
 * on another origin is never fetched (and so never gets the credentials), a
 * redirect is an error, and an answer past the cap is cut off.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  HttpProcessorConnector,
  type HttpProcessorStoreDefinition,
  ProcessorAnswerRefused,
} from '../../../connectors/http-processor/http-processor-connector';
import { storeById } from '../../../domain/stores/registry';
import { loadDemoRegistry } from '../../../local/demo/registry';
import { type LocalEndpoint, serveOnLoopback } from '../../../local/http-server';

const NEWSLETTER = storeById(loadDemoRegistry(), 'newsletter-processor') as HttpProcessorStoreDefinition;
const CREDENTIALS = { authorization: 'Bearer processor-token' };
const SUBJECT = { email: 'li.lei@example.com' };

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
}

const servers: LocalEndpoint[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** A server answering with `handle`, recording every request it is sent. */
async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    seen.push({
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
    });
    request.resume();
    request.on('end', () => handle(request, response));
  });
  const endpoint = await serveOnLoopback(server);
  servers.push(endpoint);
  return { url: endpoint.url, seen };
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A processor that takes every request and reports it completed, with `resultsUrl(id)` for access. */
function completingProcessor(
  resultsUrl: (id: string) => string,
  results?: (response: ServerResponse) => void,
) {
  return serve((request, response) => {
    const [, , id, rest] = (request.url ?? '').split('/');
    if (request.method === 'POST') return json(response, 201, {});
    if (rest === 'results' && results) return results(response);
    return json(response, 200, {
      api_version: '0.8',
      subject_request_id: id,
      request_status: 'completed',
      results_url: resultsUrl(id ?? ''),
    });
  });
}

function connectorFor(
  endpoint: string,
  options: Partial<ConstructorParameters<typeof HttpProcessorConnector>[1]> = {},
) {
  return new HttpProcessorConnector(NEWSLETTER, {
    endpoint,
    pollIntervalMs: 5,
    deadlineMs: 2_000,
    requestTimeoutMs: 2_000,
    readCredentialHeaders: async () => CREDENTIALS,
    ...options,
  });
}

describe('http-processor connector answers it does not trust', () => {
  it('refuses a results_url on another origin, and sends it nothing (so no credentials)', async () => {
    const elsewhere = await serve((_request, response) => json(response, 200, { records: [] }));
    const processor = await completingProcessor((id) => `${elsewhere.url}/steal/${id}`);
    const connector = connectorFor(`${processor.url}/opendsr`);

    const finding = connector.find(SUBJECT);

    await expect(finding).rejects.toBeInstanceOf(ProcessorAnswerRefused);
    await expect(finding).rejects.toMatchObject({
      name: 'ProcessorAnswerRefused',
      storeId: 'newsletter-processor',
      retriable: false,
      message: expect.stringContaining('results_url is not on the processor'),
    });
    expect(elsewhere.seen).toEqual([]);
    // The processor itself did get the credentials: they are ours to send there.
    expect(processor.seen[0]).toMatchObject({ method: 'POST', authorization: CREDENTIALS.authorization });
  });

  it.each([
    [
      'another port on the same host',
      (url: string) => url.replace(/:(\d+)$/, (_m, port) => `:${Number(port) + 1}`),
    ],
    ['another scheme', (url: string) => url.replace(/^http:/, 'https:')],
  ])('refuses a results_url on %s', async (_what, move) => {
    let base = '';
    const processor = await completingProcessor((id) => `${move(base)}/opendsr/${id}/results`);
    base = processor.url;
    await expect(connectorFor(`${processor.url}/opendsr`).find(SUBJECT)).rejects.toMatchObject({
      name: 'ProcessorAnswerRefused',
    });
  });

  it('fetches a results_url on its own origin, relative or absolute', async () => {
    let base = '';
    const records = [{ id: 'n-1', category: 'newsletter', list: 'weekly' }];
    let statusReads = 0;
    const processor = await completingProcessor(
      (id) => (++statusReads === 1 ? `/opendsr/${id}/results` : `${base}/opendsr/${id}/results`),
      (response) => json(response, 200, { records }),
    );
    base = processor.url;
    const connector = connectorFor(`${processor.url}/opendsr`);
    expect(await connector.find(SUBJECT)).toEqual({ count: 1, resolved: {} });
    expect(await connector.find(SUBJECT)).toEqual({ count: 1, resolved: {} });
    expect(statusReads).toBe(2);
    expect(processor.seen.filter((seen) => seen.url.endsWith('/results'))).toHaveLength(2);
  });

  it('does not follow a redirect: a 3xx is a permanent error, and its target is never asked', async () => {
    const target = await serve((_request, response) => json(response, 200, {}));
    const processor = await serve((_request, response) => {
      response.writeHead(302, { location: `${target.url}/opendsr/discovery` }).end();
    });

    await expect(connectorFor(`${processor.url}/opendsr`).healthCheck()).rejects.toMatchObject({
      name: 'ProcessorAnswerRefused',
      message: expect.stringContaining('redirect (HTTP 302)'),
    });
    expect(target.seen).toEqual([]);
  });

  it('aborts a results body past its cap rather than reading it to the end', async () => {
    let closedEarly: Promise<boolean> = Promise.resolve(false);
    const processor = await completingProcessor(
      (id) => `/opendsr/${id}/results`,
      (response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(16 * 1024, 0x20);
        let sent = 0;
        // An endless answer: only the client giving up ends it.
        const timer = setInterval(() => {
          if (sent < 64 * 1024 * 1024) {
            response.write(chunk);
            sent += chunk.byteLength;
          }
        }, 1);
        closedEarly = new Promise((resolve) =>
          response.on('close', () => {
            clearInterval(timer);
            resolve(!response.writableFinished);
          }),
        );
      },
    );

    await expect(
      connectorFor(`${processor.url}/opendsr`, { maxResultsBytes: 256 * 1024 }).find(SUBJECT),
    ).rejects.toMatchObject({
      name: 'ProcessorAnswerRefused',
      message: expect.stringContaining(`longer than ${256 * 1024} bytes`),
    });
    expect(await closedEarly).toBe(true);
  });

  it('caps every other answer too', async () => {
    const processor = await serve((_request, response) => json(response, 200, { padding: 'x'.repeat(4096) }));
    await expect(
      connectorFor(`${processor.url}/opendsr`, { maxAnswerBytes: 1024 }).healthCheck(),
    ).rejects.toMatchObject({ name: 'ProcessorAnswerRefused' });
  });
});
