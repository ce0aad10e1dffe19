/**
 * A double-clicked form or a client retry must not make two requests (or
 * two code mails): the Idempotency-Key header, or else the content itself,
 * finds the request already made.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { mailTo, submitRequest, uniqueEmail } from '../support/pipeline';

describe('idempotent submission', () => {
  it('answers a repeated Idempotency-Key with the same request, without a token the second time', async () => {
    const stack = inject('stack');
    const email = uniqueEmail('idem-key');
    const key = randomUUID();
    const submission = { type: 'copy', subject: { email } };

    const first = await submitRequest(stack, submission, { 'idempotency-key': key });
    const second = await submitRequest(stack, submission, { 'idempotency-key': key });

    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.requestId).toBe(first.body.requestId);
    expect(first.body.statusToken).toEqual(expect.any(String));
    expect(first.body).not.toHaveProperty('replayed');
    expect(second.body).not.toHaveProperty('statusToken');
    expect(second.body).not.toHaveProperty('statusUrl');
    expect(second.body.replayed).toBe(true);
    expect(await mailTo(stack, email)).toHaveLength(1);
  });

  it('refuses a reused Idempotency-Key with a different body with 422', async () => {
    const stack = inject('stack');
    const email = uniqueEmail('idem-conflict');
    const key = randomUUID();

    const first = await submitRequest(
      stack,
      { type: 'copy', subject: { email } },
      { 'idempotency-key': key },
    );
    const reused = await submitRequest(
      stack,
      { type: 'deletion', subject: { email } },
      { 'idempotency-key': key },
    );

    expect(first.status).toBe(202);
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error: { code: 'idempotency-key-reused' } });
    expect(await mailTo(stack, email)).toHaveLength(1);
  });

  it('treats an identical body without a key as the same request, and tells the second caller nothing of it', async () => {
    const stack = inject('stack');
    const email = uniqueEmail('idem-content');
    const submission = { type: 'access', subject: { email }, details: 'orders since 2024' };

    const first = await submitRequest(stack, submission);
    const second = await submitRequest(stack, submission);

    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    // Whoever typed the same form may not be the first requester: no id, status or date of theirs.
    expect(second.body).toEqual({ type: 'access', replayed: true, note: expect.any(String) });
    expect(await mailTo(stack, email)).toHaveLength(1);
  });
});
