import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AccessLogEntry, startApiGateway } from '../../../local/api-gateway';
import type { LocalEndpoint } from '../../../local/http-server';
import { type LambdaService, startLambdaService } from '../../../local/lambda';
import { FIXTURE_FUNCTIONS } from '../../fixtures/fixture-functions';
import { FIXTURE_ROUTES } from '../../fixtures/fixture-routes';
import { BINARY_BYTES } from '../../fixtures/functions/binary-response';

const VALID_TOKEN = 'Bearer fixture-token';

/** Stands in for the console JWT authoriser: accepts exactly one token. */
async function fixtureAuthorizer(request: IncomingMessage) {
  if (request.headers.authorization !== VALID_TOKEN) return null;
  return { claims: { sub: 'agent-1', 'cognito:groups': ['agents'] }, scopes: ['console/read'] };
}

describe('local API Gateway (HTTP API, payload format 2.0)', () => {
  let lambda: LambdaService;
  let gateway: LocalEndpoint;
  let gatewayWithoutAuthorizer: LocalEndpoint;
  const accessLog: AccessLogEntry[] = [];

  beforeAll(async () => {
    lambda = await startLambdaService({
      functions: FIXTURE_FUNCTIONS,
      rootDir: process.cwd(),
      log: () => {},
    });
    gateway = await startApiGateway({
      routes: FIXTURE_ROUTES,
      lambdaEndpoint: lambda.url,
      authorizer: fixtureAuthorizer,
      fallback: (request, response) => {
        if (request.url !== '/index.html') return false;
        response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>console</h1>');
        return true;
      },
      accessLog: (entry) => accessLog.push(entry),
      log: () => {},
    });
    gatewayWithoutAuthorizer = await startApiGateway({
      routes: FIXTURE_ROUTES,
      lambdaEndpoint: lambda.url,
      accessLog: () => {},
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    await gatewayWithoutAuthorizer?.stop();
    await lambda?.stop();
  });

  async function echoedEvent(response: Response): Promise<APIGatewayProxyEventV2WithJWTAuthorizer> {
    return (await response.json()) as APIGatewayProxyEventV2WithJWTAuthorizer;
  }

  it('hands the function a v2 event and maps its structured response', async () => {
    const response = await fetch(`${gateway.url}/v1/requests?lang=en&tag=a&tag=b`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: 'a=1; b=2',
        'x-custom': 'one',
        'user-agent': 'vitest',
      },
      body: JSON.stringify({ type: 'access' }),
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('x-fixture')).toBe('http-echo');
    expect(response.headers.getSetCookie()).toEqual(['session=abc; HttpOnly', 'theme=dark']);
    const event = await echoedEvent(response);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/requests',
      rawPath: '/v1/requests',
      rawQueryString: 'lang=en&tag=a&tag=b',
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { lang: 'en', tag: 'a,b' },
      body: '{"type":"access"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        http: {
          method: 'POST',
          path: '/v1/requests',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'vitest',
        },
        routeKey: 'POST /v1/requests',
        stage: '$default',
      },
    });
    expect(event.headers).toMatchObject({ 'content-type': 'application/json', 'x-custom': 'one' });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.requestContext.requestId).toBe(response.headers.get('apigw-requestid'));
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(event.requestContext.authorizer).toBeUndefined();
  });

  it.each([
    ['application/octet-stream', true],
    ['application/x-www-form-urlencoded', true],
    ['text/plain; charset=utf-8', false],
  ])('passes a %s body with isBase64Encoded %s', async (contentType, base64) => {
    const response = await fetch(`${gateway.url}/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: 'a=1&b=2',
    });

    const event = await echoedEvent(response);
    expect(event.isBase64Encoded).toBe(base64);
    expect(base64 ? Buffer.from(event.body!, 'base64').toString() : event.body).toBe('a=1&b=2');
  });

  it.each([
    ['/v1/requests/req-123', 'GET /v1/requests/{id}', { id: 'req-123' }],
    ['/v1/requests/with%20space', 'GET /v1/requests/{id}', { id: 'with space' }],
    ['/v1/files/exports/2026/package.zip', 'GET /v1/files/{proxy+}', { proxy: 'exports/2026/package.zip' }],
  ])('routes %s to %s with its path parameters', async (path, routeKey, pathParameters) => {
    const event = await echoedEvent(await fetch(`${gateway.url}${path}`));

    expect(event.routeKey).toBe(routeKey);
    expect(event.pathParameters).toEqual(pathParameters);
  });

  it('prefers a literal route over a path parameter and returns a plain result as 200 JSON', async () => {
    const response = await fetch(`${gateway.url}/v1/requests/summary`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { event: { routeKey: string } };
    expect(body.event.routeKey).toBe('GET /v1/requests/summary');
  });

  it('decodes a base64-encoded binary response', async () => {
    const response = await fetch(`${gateway.url}/v1/binary`);

    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual(BINARY_BYTES);
  });

  it.each([
    ['an unknown path', 'GET', '/v1/nowhere'],
    ['a known path with another method', 'DELETE', '/v1/requests'],
    ['a greedy route with nothing to match', 'GET', '/v1/files/'],
  ])('answers 404 Not Found for %s', async (_, method, path) => {
    const response = await fetch(`${gateway.url}${path}`, { method });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
    expect(response.headers.get('apigw-requestid')).toBeTruthy();
  });

  it('lets the fallback serve what no route matches', async () => {
    const response = await fetch(`${gateway.url}/index.html`);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<h1>console</h1>');
  });

  it('answers 500 Internal Server Error when the function throws', async () => {
    const response = await fetch(`${gateway.url}/v1/broken`);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('passes the authoriser claims and scopes of a console route to the function', async () => {
    const response = await fetch(`${gateway.url}/v1/console/requests`, {
      headers: { authorization: VALID_TOKEN },
    });

    expect(response.status).toBe(201);
    const event = await echoedEvent(response);
    expect(event.requestContext.authorizer.jwt).toEqual({
      claims: { sub: 'agent-1', 'cognito:groups': ['agents'] },
      scopes: ['console/read'],
    });
  });

  it.each([
    ['a rejected token', () => gateway, { authorization: 'Bearer forged' }],
    ['no token', () => gateway, {}],
    ['no authoriser configured', () => gatewayWithoutAuthorizer, { authorization: VALID_TOKEN }],
  ])('answers 401 Unauthorized on a console route with %s', async (_, target, headers) => {
    const response = await fetch(`${target().url}/v1/console/requests`, { headers });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
  });

  it('answers 413 for a body over the 10 MB HTTP API limit', async () => {
    const response = await fetch(`${gateway.url}/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });

    expect(response.status).toBe(413);
  });

  it('logs method, route key, status and latency but never paths, query values or bodies', async () => {
    accessLog.length = 0;
    const response = await fetch(`${gateway.url}/v1/requests/secret-id?email=subject%40example.com`);
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 20));

    const [entry] = accessLog;
    expect(entry).toMatchObject({ method: 'GET', routeKey: 'GET /v1/requests/{id}', status: 201 });
    expect(entry!.requestId).toBe(response.headers.get('apigw-requestid'));
    expect(JSON.stringify(accessLog)).not.toMatch(/secret-id|subject|example\.com/);
  });
});
