/**
 * CancelRequest: "this was not me" (app/intake/cancel-request.ts).
 * GET /v1/requests/{id}/not-me?token=… — the confirm page (HTML; changes nothing).
 * POST /v1/requests/{id}/cancel?token=… (or `Authorization: Bearer …`) — the cancel; answers HTML to the
 * confirm page's form (a browser that accepts text/html), JSON otherwise.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { intakePorts } from '../adapters/aws/intake-ports';
import { type HttpResult, httpApi, jsonResponse } from '../adapters/lambda/http-api';
import { HttpProblem } from '../adapters/lambda/http-problem';
import { cancelByLink, viewCancelLink } from '../app/intake/cancel-request';
import { CANCEL_PAGE_CSP, cancelAnswerPage, confirmCancelPage } from '../domain/cancel-pages';
import { RequestPathSchema, StatusQuerySchema } from '../domain/submission';

const notFound = () => new HttpProblem(404, 'not-found', 'No such request, or the token does not match');

function html(statusCode: number, body: string): HttpResult {
  const headers = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CANCEL_PAGE_CSP };
  // The address carries the token: keep it out of every cache and every referrer.
  return {
    statusCode,
    headers: { ...headers, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
    body,
  };
}

function tokenOf(event: APIGatewayProxyEventV2): string | undefined {
  const header = event.headers.authorization;
  return header?.startsWith('Bearer ')
    ? header.slice('Bearer '.length).trim()
    : event.queryStringParameters?.token;
}

export const handler = httpApi(
  async (event) => {
    const requestId = event.pathParameters?.id ?? '';
    const token = tokenOf(event);
    if (event.requestContext.http.method === 'GET') {
      const view = await viewCancelLink(intakePorts, requestId, token);
      if (view.outcome === 'not-found') throw notFound();
      if (view.outcome === 'cancellable')
        return html(200, confirmCancelPage({ ...view, token: token ?? '' }));
      return html(200, cancelAnswerPage({ ...view, answer: view.outcome }));
    }
    const result = await cancelByLink(intakePorts, requestId, token);
    if (result.outcome === 'not-found') throw notFound();
    if ((event.headers.accept ?? '').includes('text/html')) {
      return html(
        result.outcome === 'cancelled' ? 200 : 409,
        cancelAnswerPage({ ...result, answer: result.outcome }),
      );
    }
    if (result.outcome === 'too-late') {
      throw new HttpProblem(
        409,
        'fulfilment-started',
        'Fulfilment has started; this link can no longer cancel it',
      );
    }
    return jsonResponse(200, { requestId: result.requestId, status: result.status });
  },
  {
    path: RequestPathSchema,
    query: StatusQuerySchema,
    // The pages send their own policy (CANCEL_PAGE_CSP); the middleware's HTML default forbids forms.
    securityHeaders: { contentSecurityPolicy: false },
  },
);
