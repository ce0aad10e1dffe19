/** SubmitRequest: POST /v1/requests, the web form and the public API (app/intake/submit-request.ts). */
import { intakePorts } from '../adapters/aws/intake-ports';
import { dynamoDbSubmissionLedger } from '../adapters/aws/submission-ledger';
import { organisationSettings } from '../adapters/config/organisation';
import { clientRateLimit } from '../adapters/lambda/client-rate-limit';
import { httpApiWithBody, jsonResponse } from '../adapters/lambda/http-api';
import { HttpProblem } from '../adapters/lambda/http-problem';
import { allowedPortabilityOrigins } from '../adapters/net/outbound-guard';
import { submitRequest } from '../app/intake/submit-request';
import { submissionSchema } from '../domain/submission';

// Read at load, after local mode set the environment: only its fake processor may be named over http,
// and the residences are the organisation's.
export const handler = httpApiWithBody(
  {
    schema: submissionSchema(
      allowedPortabilityOrigins(),
      organisationSettings().residences.map((residence) => residence.code),
    ),
    guard: clientRateLimit('submit'),
  },
  async (event, context) => {
    const result = await submitRequest(
      { ...intakePorts, ledger: dynamoDbSubmissionLedger(context) },
      {
        submission: event.body,
        channel: event.headers['x-dsar-channel'] === 'web' ? 'web' : 'api',
        idempotencyKey: event.headers['idempotency-key'],
      },
    );
    if (result.outcome === 'invalid-idempotency-key') {
      throw new HttpProblem(
        400,
        'invalid-header',
        'Idempotency-Key must be 1-255 printable ASCII characters',
        'Idempotency-Key',
      );
    }
    return jsonResponse(202, result.receipt);
  },
);
