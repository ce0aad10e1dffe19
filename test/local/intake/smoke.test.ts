import { describe, expect, inject, it } from 'vitest';

describe('local pipeline', () => {
  it('serves the OpenAPI document of every route', async () => {
    const { api } = inject('stack');
    const response = await fetch(`${api}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toContain('/v1/requests');
  });
});
