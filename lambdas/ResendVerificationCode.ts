/** ResendVerificationCode: POST /v1/requests/{id}/verification-code (app/intake/resend-code.ts). */
import { intakePorts } from '../adapters/aws/intake-ports';
import { clientRateLimit } from '../adapters/lambda/client-rate-limit';
import { httpApiWithBody, jsonResponse } from '../adapters/lambda/http-api';
import { HttpProblem } from '../adapters/lambda/http-problem';
import { resendVerificationCode } from '../app/intake/resend-code';
import { RequestPathSchema, ResendCodeSchema } from '../domain/submission';
import { MAX_CODE_RESENDS } from '../domain/verification';

export const handler = httpApiWithBody(
  {
    schema: ResendCodeSchema,
    maxBytes: 1024,
    bodyOptional: true,
    path: RequestPathSchema,
    guard: clientRateLimit('resend-code'),
  },
  async (event) => {
    const result = await resendVerificationCode(intakePorts, event.pathParameters?.id ?? '');
    if (result.outcome === 'limit-reached') {
      throw new HttpProblem(429, 'too-many-codes', `At most ${MAX_CODE_RESENDS} new codes per request`);
    }
    return jsonResponse(202, {
      note: 'If this request is waiting for verification, a new code has been sent to its email address.',
    });
  },
);
