import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RouteDefinition } from '../../../definitions/routes';
import {
  compileRoutes,
  InvalidRouteError,
  isTextContentType,
  MalformedIntegrationResponseError,
  matchRoute,
  toHttpResponse,
} from '../../../local/api-gateway';

function route(method: RouteDefinition['method'], path: string): RouteDefinition {
  return { method, path, functionId: 'Fn', auth: 'public', summary: path };
}

describe('compileRoutes', () => {
  it.each([
    ['a greedy segment before the end', '/v1/{proxy+}/more'],
    ['an empty segment', '/v1//requests'],
    ['a path without a leading slash', 'v1/requests'],
    ['a half-open parameter', '/v1/{id'],
  ])('rejects %s', (_, path) => {
    expect(() => compileRoutes([route('GET', path)])).toThrow(InvalidRouteError);
  });

  it('rejects the same method and path twice', () => {
    expect(() => compileRoutes([route('GET', '/v1/a'), route('GET', '/v1/a')])).toThrow(InvalidRouteError);
  });
});

describe('matchRoute', () => {
  const routes = compileRoutes([
    route('GET', '/v1/{proxy+}'),
    route('GET', '/v1/requests/{id}'),
    route('GET', '/v1/requests/summary'),
    route('GET', '/v1/requests/{id}/events'),
    route('POST', '/v1/requests'),
    route('GET', '/'),
  ]);

  it.each([
    ['/v1/requests/summary', 'GET /v1/requests/summary', {}],
    ['/v1/requests/r-1', 'GET /v1/requests/{id}', { id: 'r-1' }],
    ['/v1/requests/r-1/events', 'GET /v1/requests/{id}/events', { id: 'r-1' }],
    ['/v1/requests/r-1/events/extra', 'GET /v1/{proxy+}', { proxy: 'requests/r-1/events/extra' }],
    ['/v1/other', 'GET /v1/{proxy+}', { proxy: 'other' }],
    ['/', 'GET /', {}],
  ])('matches %s to the most specific route %s', (path, routeKey, pathParameters) => {
    const match = matchRoute(routes, 'GET', path);

    expect(match?.compiled.routeKey).toBe(routeKey);
    expect(match?.pathParameters).toEqual(pathParameters);
  });

  it.each([
    ['a method without a route', 'PUT', '/v1/requests'],
    ['a case-changed literal', 'POST', '/v1/Requests'],
    ['a trailing slash', 'POST', '/v1/requests/'],
  ])('finds no route for %s', (_, method, path) => {
    expect(matchRoute(routes, method, path)).toBeUndefined();
  });

  it('always prefers a literal segment to a parameter, whatever the order of the table', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,8}$/), fc.boolean(), (literal, literalFirst) => {
        const table = [route('GET', `/x/${literal}`), route('GET', '/x/{id}')];
        const compiled = compileRoutes(literalFirst ? table : [...table].reverse());

        expect(matchRoute(compiled, 'GET', `/x/${literal}`)?.compiled.routeKey).toBe(`GET /x/${literal}`);
      }),
    );
  });
});

describe('isTextContentType', () => {
  it.each([
    ['application/json', true],
    ['application/json; charset=utf-8', true],
    ['text/csv', true],
    ['application/xml', true],
    ['application/javascript', true],
    ['application/x-www-form-urlencoded', false],
    ['multipart/form-data; boundary=x', false],
    ['image/png', false],
    [undefined, false],
  ])('treats %s as text: %s', (contentType, text) => {
    expect(isTextContentType(contentType)).toBe(text);
  });
});

describe('toHttpResponse', () => {
  it.each([
    ['an object without statusCode', '{"ok":true}'],
    ['an array', '[1,2]'],
    ['a string', '"hello"'],
    ['null', 'null'],
  ])('returns %s as a 200 application/json body unchanged', (_, payload) => {
    const response = toHttpResponse(payload);

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body.toString()).toBe(payload);
  });

  it('uses statusCode, headers, cookies and a base64 body from a structured response', () => {
    const response = toHttpResponse(
      JSON.stringify({
        statusCode: 302,
        headers: { Location: '/done', 'X-Count': 3 },
        cookies: ['a=1'],
        body: Buffer.from('moved').toString('base64'),
        isBase64Encoded: true,
      }),
    );

    expect(response).toEqual({
      statusCode: 302,
      headers: { location: '/done', 'x-count': '3', 'set-cookie': ['a=1'] },
      body: Buffer.from('moved'),
    });
  });

  it.each([
    ['a statusCode that is not an HTTP status', { statusCode: 42 }],
    ['a body that is not a string', { statusCode: 200, body: { nested: true } }],
  ])('rejects %s as a malformed integration response', (_, result) => {
    expect(() => toHttpResponse(JSON.stringify(result))).toThrow(MalformedIntegrationResponseError);
  });
});
