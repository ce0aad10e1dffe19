/**
 * Intake must not tell anyone whether we hold data about a person, and the
 * status endpoint must not tell whether a request id exists.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import {
  call,
  randomToken,
  requestStatus,
  submitRequest,
  uniqueEmail,
  unknownRequestId,
} from '../support/pipeline';

/** li.lei@example.com has an account, orders and comments in the demo organisation. */
const KNOWN_SUBJECT = 'li.lei@example.com';

describe('no enumeration', () => {
  it('answers a subject we hold data about exactly like one we do not', async () => {
    const stack = inject('stack');
    // A fresh note keeps a rerun against a long-lived stack from being an idempotent replay.
    const details = `enumeration probe ${randomUUID()}`;
    const known = await submitRequest(stack, { type: 'access', subject: { email: KNOWN_SUBJECT }, details });
    const unknown = await submitRequest(stack, {
      type: 'access',
      subject: { email: uniqueEmail('nobody') },
      details,
    });

    expect(known.status).toBe(202);
    expect(unknown.status).toBe(known.status);
    expect(Object.keys(unknown.body).sort()).toEqual(Object.keys(known.body).sort());
    expect(unknown.body.status).toBe(known.body.status);
  });

  it('answers a wrong status token and an unknown request id with the same 404', async () => {
    const stack = inject('stack');
    const submitted = await submitRequest(stack, {
      type: 'access',
      subject: { email: uniqueEmail('probe') },
    });
    const requestId = submitted.body.requestId as string;

    const wrongToken = await requestStatus(stack, requestId, randomToken());
    const unknownId = await requestStatus(stack, unknownRequestId(), randomToken());
    const noToken = await call(`${stack.api}/v1/requests/${requestId}`);

    expect(wrongToken.status).toBe(404);
    expect(unknownId).toMatchObject({ status: 404, body: wrongToken.body });
    expect(noToken).toMatchObject({ status: 404, body: wrongToken.body });
  });
});
