/** VerifyRequest: POST /v1/requests/{id}/verify, the one-time code (app/intake/verify-request.ts). */
import { intakePorts } from '../adapters/aws/intake-ports';
import { workflowStarter } from '../adapters/aws/workflow-starter';
import { destructiveWaitHours } from '../adapters/config/destructive-wait';
import { clientRateLimit } from '../adapters/lambda/client-rate-limit';
import { httpApiWithBody, jsonResponse } from '../adapters/lambda/http-api';
import { HttpProblem } from '../adapters/lambda/http-problem';
import { verifyRequest } from '../app/intake/verify-request';
import { RequestPathSchema, VerificationAttemptSchema } from '../domain/submission';

const deps = {
  ...intakePorts,
  fulfilment: workflowStarter,
  // The deployment's wait for destructive types over every policy's (local mode and demos: 0).
  get destructiveWaitHours() {
    return destructiveWaitHours();
  },
};

export const handler = httpApiWithBody(
  {
    schema: VerificationAttemptSchema,
    maxBytes: 1024,
    path: RequestPathSchema,
    guard: clientRateLimit('verify'),
  },
  async (event) => {
    const result = await verifyRequest(deps, event.pathParameters?.id ?? '', event.body.code);
    switch (result.outcome) {
      case 'not-awaiting-verification':
        throw new HttpProblem(409, result.outcome, 'This request is not waiting for a verification code');
      case 'expired':
        throw new HttpProblem(410, 'code-expired', 'This code has expired; ask for a new one');
      case 'locked':
        throw new HttpProblem(423, 'verification-locked', 'Too many wrong codes; an agent will contact you');
      case 'wrong-code':
        throw new HttpProblem(400, 'wrong-code', `Wrong code; ${result.attemptsLeft} tries left`, 'code');
      case 'verified':
        return jsonResponse(200, result.answer);
    }
  },
);
