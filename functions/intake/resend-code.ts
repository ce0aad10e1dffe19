/**
 * POST /v1/requests/{id}/verification-code — a new one-time code, for a code
 * that expired or a mail that never came. The old code stops working; at most
 * MAX_CODE_RESENDS new codes per request (then 429), and only while the
 * request waits for verification and is not locked.
 *
 * The answer is 202 and the same words whether the request exists, waits for
 * a code, is already verified or is locked: the route cannot be used to
 * probe request ids, and the code only ever goes to the address on the request.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { z } from 'zod';
import { getRequest, RequestNotFound, saveRequest } from '../../adapters/aws/request-store';
import { metrics } from '../../adapters/aws/runtime';
import { hashKey, newVerificationCode } from '../../adapters/aws/secrets';
import { httpApiWithBody, jsonResponse, type ParsedEvent } from '../../adapters/lambda/http-api';
import { HttpProblem } from '../../adapters/lambda/http-problem';
import { getPolicy } from '../../domain/policy/registry';
import { RequestPathSchema, ResendCodeSchema } from '../../domain/submission';
import { hashSecret, MAX_CODE_RESENDS, reissueChallenge } from '../../domain/verification';
import { mailVerificationCode } from './request-intake';

const ACCEPTED = {
  note: 'If this request is waiting for verification, a new code has been sent to its email address.',
};

async function lambdaHandler(event: ParsedEvent<z.output<typeof ResendCodeSchema>>) {
  const requestId = event.pathParameters?.id ?? '';
  const accepted = jsonResponse(202, ACCEPTED);
  const record = await getRequest(requestId).catch((error: unknown) => {
    if (error instanceof RequestNotFound) return undefined;
    throw error;
  });
  const email = record?.identifiers.find((identifier) => identifier.kind === 'email');
  if (record?.status !== 'pending-verification' || !record.verification || !email) {
    return accepted;
  }

  const now = new Date();
  const code = newVerificationCode();
  const decision = reissueChallenge(
    record.verification,
    hashSecret(await hashKey(), 'verification-code', requestId, code),
    now,
  );
  if (decision.outcome === 'locked') return accepted;
  if (decision.outcome === 'limit-reached') {
    metrics.addMetric('CodeResendLimit', MetricUnit.Count, 1);
    throw new HttpProblem(429, 'too-many-codes', `At most ${MAX_CODE_RESENDS} new codes per request`);
  }
  const saved = await saveRequest(record, { ...record, verification: decision.challenge }, [
    {
      type: 'verification-code-sent',
      actor: { kind: 'requester', id: 'status-link' },
      at: now.toISOString(),
      details: { to: email.masked, resend: decision.challenge.resends },
    },
  ]);
  await mailVerificationCode(saved, {
    to: email.value,
    code,
    organisation: getPolicy(record.policyId).organisation,
  });
  return accepted;
}

export const handler = httpApiWithBody(
  { schema: ResendCodeSchema, maxBytes: 1024, bodyOptional: true, path: RequestPathSchema },
  lambdaHandler,
);
