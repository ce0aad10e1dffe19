import { describe, expect, inject, it } from 'vitest';
import { PAGE_CSP } from '../../../web/pages';

describe('the web pages behind the local API', () => {
  it.each(['/', '/status', '/console'])(
    'serves %s as HTML under its own Content-Security-Policy and safe headers',
    async (path) => {
      const response = await fetch(`${inject('stack').api}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      // Exactly one policy: the middleware's HTML default (no scripts at all) must not be sent too.
      expect(response.headers.get('content-security-policy')).toBe(PAGE_CSP);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).toMatch(/^<!doctype html>/);
    },
  );

  it('documents every page in the OpenAPI document as HTML', async () => {
    const document = (await (await fetch(`${inject('stack').api}/openapi.json`)).json()) as {
      paths: Record<string, { get?: { responses: Record<string, { content: Record<string, unknown> }> } }>;
    };
    for (const path of ['/', '/status', '/console']) {
      expect(Object.keys(document.paths[path]?.get?.responses['200']?.content ?? {})).toEqual(['text/html']);
    }
  });

  it('links a new request to its status page, which the status API answers for', async () => {
    const { api } = inject('stack');
    const response = await fetch(`${api}/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'access', subject: { email: `pages-${Date.now()}@example.com` } }),
    });
    const { statusUrl, requestId, statusToken } = (await response.json()) as Record<string, string>;
    expect(statusUrl).toBe(`${api}/status?id=${requestId}&token=${statusToken}`);
    const link = new URL(statusUrl!);
    const status = await fetch(`${api}/v1/requests/${link.searchParams.get('id')}`, {
      headers: { authorization: `Bearer ${link.searchParams.get('token')}` },
    });
    expect(status.status).toBe(200);
  });
});
