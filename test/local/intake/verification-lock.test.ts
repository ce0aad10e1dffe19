/**
 * Five wrong codes lock the challenge for good: the right code is refused
 * afterwards, and the lock is on the request's audit trail, whose hash chain
 * still verifies when read straight from DynamoDB.
 */
import { describe, expect, inject, it } from 'vitest';
import { verifyChain } from '../../../domain/audit';
import { MAX_CODE_ATTEMPTS } from '../../../domain/verification';
import {
  codeIn,
  pipelineTables,
  submitRequest,
  uniqueEmail,
  verifyCode,
  waitForMail,
  wrongCodeFor,
} from '../support/pipeline';

describe('verification lock', () => {
  it(`locks after ${MAX_CODE_ATTEMPTS} wrong codes, refuses the right code afterwards and audits the lock`, async () => {
    const stack = inject('stack');
    const email = uniqueEmail('lock');
    const submitted = await submitRequest(stack, { type: 'deletion', subject: { email } });
    const requestId = submitted.body.requestId as string;
    const code = codeIn(await waitForMail(stack, email));
    const wrong = wrongCodeFor(code);

    const statuses: number[] = [];
    for (let attempt = 1; attempt <= MAX_CODE_ATTEMPTS; attempt++) {
      statuses.push((await verifyCode(stack, requestId, wrong)).status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 423]);

    const afterwards = await verifyCode(stack, requestId, code);
    expect(afterwards.status).toBe(423);
    expect(afterwards.body).toMatchObject({ error: { code: 'verification-locked' } });

    const tables = pipelineTables(stack);
    expect((await tables.request(requestId))?.status).toBe('pending-verification');
    const trail = await tables.auditTrail(requestId);
    const types = trail.map((event) => event.type);
    expect(types.filter((type) => type === 'verification-failed')).toHaveLength(MAX_CODE_ATTEMPTS - 1);
    expect(types.filter((type) => type === 'verification-locked')).toHaveLength(1);
    expect(types).not.toContain('identity-verified');
    expect(verifyChain(trail)).toEqual({ intact: true });
  });
});
