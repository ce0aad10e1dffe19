/** GetRequestStatus: GET /v1/requests/{id}, the requester's view (app/intake/request-status.ts). */
import { intakePorts } from '../adapters/aws/intake-ports';
import { httpApi, jsonResponse } from '../adapters/lambda/http-api';
import { HttpProblem } from '../adapters/lambda/http-problem';
import { requestStatus } from '../app/intake/request-status';
import { RequestPathSchema, StatusQuerySchema } from '../domain/submission';

export const handler = httpApi(
  async (event) => {
    // The token comes as `Authorization: Bearer …` or, from the status page's address, as `?token=`.
    const header = event.headers.authorization;
    const token = header?.startsWith('Bearer ')
      ? header.slice('Bearer '.length).trim()
      : event.queryStringParameters?.token;
    const result = await requestStatus(intakePorts, event.pathParameters?.id ?? '', token);
    if (result.outcome === 'not-found') {
      throw new HttpProblem(404, 'not-found', 'No such request, or the token does not match');
    }
    return jsonResponse(200, result.status);
  },
  { path: RequestPathSchema, query: StatusQuerySchema },
);
