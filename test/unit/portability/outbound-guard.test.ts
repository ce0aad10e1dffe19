import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allowedPortabilityOrigins,
  EndpointRefused,
  EndpointUnreachable,
  guardedPost,
  guardedRequest,
  pinEndpoint,
  type ResolveHost,
} from '../../../adapters/net/outbound-guard';

interface Received {
  readonly path: string;
  readonly host: string | undefined;
  readonly body: string;
}

let server: Server;
let port: number;
const received: Received[] = [];

function answer(request: IncomingMessage, response: ServerResponse, body: string) {
  received.push({ path: request.url ?? '', host: request.headers.host, body });
  if (request.url === '/redirect') {
    response.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end();
  } else if (request.url === '/large') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(1024 * 1024));
  } else if (request.url === '/silent') {
    // never answers
  } else {
    response.writeHead(201, { 'content-type': 'application/json' }).end('{"receipt":"r-1"}');
  }
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A resolver that answers `addresses` for any name and counts how often it was asked. */
function resolverOf(...addresses: string[]) {
  const calls: string[] = [];
  const resolve: ResolveHost = async (hostname) => {
    calls.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, calls };
}

const localOrigin = () => `http://inbox.test:${port}`;

describe('pinning an endpoint', () => {
  it('refuses a host that resolves to a private address among public ones', async () => {
    const { resolve } = resolverOf('93.184.216.34', '10.0.0.5');
    await expect(
      pinEndpoint('https://recipient.example/in', { allowedOrigins: [], resolve }),
    ).rejects.toThrow(
      new EndpointRefused('recipient.example resolves to a private address, which may not be reached'),
    );
  });

  it.each([
    ['https://169.254.169.254/latest/meta-data/', 'link-local'],
    ['https://127.0.0.1:8443/in', 'loopback'],
    ['https://[::1]/in', 'loopback'],
    ['https://[::ffff:169.254.169.254]/in', 'link-local'],
    ['https://0x7f.1/in', 'loopback'],
    ['https://2130706433/in', 'loopback'],
    ['https://localhost/in', 'loopback'],
  ])('refuses %s as %s, resolved by the system resolver', async (endpoint, category) => {
    const refusal = pinEndpoint(endpoint, { allowedOrigins: [] });
    await expect(refusal).rejects.toBeInstanceOf(EndpointRefused);
    await expect(refusal).rejects.toThrow(`a ${category} address`);
  });

  it('refuses what intake would refuse: plain http, credentials', async () => {
    const { resolve, calls } = resolverOf('93.184.216.34');
    for (const endpoint of ['http://recipient.example/in', 'https://u:p@recipient.example/in']) {
      await expect(pinEndpoint(endpoint, { allowedOrigins: [], resolve })).rejects.toBeInstanceOf(
        EndpointRefused,
      );
    }
    expect(calls).toEqual([]);
  });

  it('reports a name that does not resolve as unreachable (worth retrying)', async () => {
    const resolve: ResolveHost = async () => {
      throw Object.assign(new Error('queryA ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(
      pinEndpoint('https://nowhere.example/in', { allowedOrigins: [], resolve }),
    ).rejects.toBeInstanceOf(EndpointUnreachable);
  });

  it('pins the first public address it checked', async () => {
    const { resolve } = resolverOf('93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946');
    const pinned = await pinEndpoint('https://recipient.example/in', { allowedOrigins: [], resolve });
    expect(pinned).toMatchObject({ address: '93.184.216.34', family: 4, allowListed: false });
  });

  it('lets an allow-listed origin through without checking its addresses', async () => {
    const { resolve } = resolverOf('127.0.0.1');
    const pinned = await pinEndpoint(`${localOrigin()}/in`, { allowedOrigins: [localOrigin()], resolve });
    expect(pinned).toMatchObject({ address: '127.0.0.1', allowListed: true });
  });

  it('reads the allow-list from a comma-separated value, ignoring what is not an origin', () => {
    expect(allowedPortabilityOrigins(' http://127.0.0.1:4010/x , nonsense,,https://a.example ')).toEqual([
      'http://127.0.0.1:4010',
      'https://a.example',
    ]);
    expect(allowedPortabilityOrigins(undefined)).toEqual([]);
  });
});

describe('posting to a pinned endpoint', () => {
  async function pinnedLocal(path: string) {
    const { resolve, calls } = resolverOf('127.0.0.1');
    const endpoint = await pinEndpoint(`${localOrigin()}${path}`, {
      allowedOrigins: [localOrigin()],
      resolve,
    });
    return { endpoint, calls };
  }

  it('connects to the checked address whatever the name would resolve to later (no rebinding)', async () => {
    const { endpoint, calls } = await pinnedLocal('/inbox?batch=1');
    const result = await guardedPost({
      endpoint,
      headers: {},
      body: Readable.from([Buffer.from('zip bytes')]),
    });
    expect(result).toMatchObject({ status: 201, body: '{"receipt":"r-1"}', truncated: false });
    expect(received.at(-1)).toEqual({
      path: '/inbox?batch=1',
      host: `inbox.test:${port}`,
      body: 'zip bytes',
    });
    expect(calls).toEqual(['inbox.test']);
  });

  it('answers a redirect as it is and never follows it', async () => {
    const { endpoint } = await pinnedLocal('/redirect');
    const before = received.length;
    const result = await guardedPost({ endpoint, headers: {}, body: Readable.from([Buffer.from('x')]) });
    expect(result.status).toBe(302);
    expect(received.slice(before).map((request) => request.path)).toEqual(['/redirect']);
  });

  it('reads no more of the answer than the cap', async () => {
    const { endpoint } = await pinnedLocal('/large');
    const result = await guardedPost({
      endpoint,
      headers: {},
      body: Readable.from([Buffer.from('x')]),
      maxAnswerBytes: 1000,
    });
    expect(result).toMatchObject({ status: 200, truncated: true });
    expect(result.body).toHaveLength(1000);
  });

  it('makes a GET without a body, or a POST of a string, for a processor call', async () => {
    const { endpoint } = await pinnedLocal('/opendsr/1');
    const got = await guardedRequest({ endpoint, method: 'GET', headers: { accept: 'application/json' } });
    expect(got).toMatchObject({ status: 201, truncated: false });
    expect(received.at(-1)).toMatchObject({ path: '/opendsr/1', body: '' });
    const posted = await guardedRequest({ endpoint, method: 'POST', headers: {}, body: '{"a":1}' });
    expect(posted.status).toBe(201);
    expect(received.at(-1)).toMatchObject({ body: '{"a":1}' });
  });

  it('gives up on a recipient that does not answer in time', async () => {
    const { endpoint } = await pinnedLocal('/silent');
    await expect(
      guardedPost({ endpoint, headers: {}, body: Readable.from([Buffer.from('x')]), timeoutMs: 300 }),
    ).rejects.toBeInstanceOf(EndpointUnreachable);
  });

  it('reports a refused connection as unreachable', async () => {
    const { resolve } = resolverOf('127.0.0.1');
    const closed = 'http://inbox.test:1';
    const endpoint = await pinEndpoint(`${closed}/in`, { allowedOrigins: [closed], resolve });
    await expect(
      guardedPost({ endpoint, headers: {}, body: Readable.from([Buffer.from('x')]) }),
    ).rejects.toBeInstanceOf(EndpointUnreachable);
  });
});
