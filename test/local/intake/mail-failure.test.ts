/**
 * A verification mail that cannot be sent must not lose the request: it is
 * recorded on the trail as `notification-failed`. SES is the one thing
 * replaced here (mock only to inject a fault); the intake code runs in this
 * process against the stack's real tables.
 */

import { beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { AUDIT_TRAIL_KEY_VARIABLE } from '../../../definitions/functions';
import { verifyChain } from '../../../domain/audit';
import { getPolicy } from '../../../domain/policy/registry';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import { localTableNames } from '../../../local/dynamodb';
import { LOCAL_TRAIL_KEY_ARN } from '../../../local/kms';
import { HMAC_KEY_SECRET_NAME, localSecretArn } from '../../../local/secrets-manager';
import { pipelineTables, uniqueEmail } from '../support/pipeline';

class SesUnavailable extends Error {
  override readonly name = 'ServiceUnavailable' as const;
}

vi.mock('../../../adapters/aws/mailer', () => ({
  sendMail: vi.fn(async () => {
    throw new SesUnavailable('SES is down');
  }),
}));

let takeInRequest: typeof import('../../../app/intake/request-intake').takeInRequest;
let intakePorts: typeof import('../../../adapters/aws/intake-ports').intakePorts;

beforeAll(async () => {
  const stack = inject('stack');
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodb,
    ...localTableNames(),
    AWS_ENDPOINT_URL_SECRETS_MANAGER: stack.secretsManager,
    PIPELINE_HMAC_KEY_SECRET_ARN: localSecretArn(HMAC_KEY_SECRET_NAME),
    // Every audit event is MACed through the local KMS, as the stack's functions do.
    AWS_ENDPOINT_URL_KMS: stack.kms,
    [AUDIT_TRAIL_KEY_VARIABLE]: LOCAL_TRAIL_KEY_ARN,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  ({ takeInRequest } = await import('../../../app/intake/request-intake'));
  ({ intakePorts } = await import('../../../adapters/aws/intake-ports'));
});

describe('verification mail failure', () => {
  it('keeps the request and records notification-failed on its trail', async () => {
    const stack = inject('stack');
    const { record } = await takeInRequest(intakePorts, {
      policy: getPolicy('caftrade'),
      channel: 'api',
      type: 'access',
      identifiers: { email: uniqueEmail('mail-fails') },
      requester: { role: 'self' },
      locale: 'en',
      actor: { kind: 'requester', id: 'api' },
      now: new Date(),
      statusToken: 'a'.repeat(43),
    });

    const tables = pipelineTables(stack);
    expect((await tables.request(record.requestId))?.status).toBe('pending-verification');
    const trail = await tables.auditTrail(record.requestId);
    expect(trail.at(-1)).toMatchObject({
      type: 'notification-failed',
      details: { notice: 'verification-code', errorName: 'ServiceUnavailable' },
    });
    expect(verifyChain(trail)).toEqual({ intact: true });
  });
});
