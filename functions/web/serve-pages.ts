/**
 * GET / and GET /status — the requester's pages (the request form and the
 * status page) — and GET /console, the console users' page, served by a Lambda behind the same HTTP API as the JSON API,
 * so they work the same on AWS and locally and need no static-file host. The
 * pages are strings bundled with this module (web/); nothing is read from disk.
 * They hold no request data: the status page fetches it with the status
 * token, the console with the console user's bearer token.
 */

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { requiredEnv } from '../../adapters/aws/runtime';
import { type HttpResult, httpApi } from '../../adapters/lambda/http-api';
import { HttpProblem } from '../../adapters/lambda/http-problem';
import { listPolicies } from '../../domain/policy/registry';
import { consolePage, formPage, PAGE_CSP, statusPage } from '../../web/pages';

const formPages = new Map<string, string>();

/** Rendered once per default policy (read at call time: local mode sets the environment after import). */
function requestForm(): string {
  const defaultPolicyId = requiredEnv('DEFAULT_POLICY_ID');
  let page = formPages.get(defaultPolicyId);
  if (page === undefined) {
    page = formPage({ policies: listPolicies(), defaultPolicyId });
    formPages.set(defaultPolicyId, page);
  }
  return page;
}

const statusHtml = statusPage();
const consoleHtml = consolePage({ policies: listPolicies() });

const PAGES: Readonly<Record<string, () => string>> = {
  'GET /': requestForm,
  'GET /status': () => statusHtml,
  'GET /console': () => consoleHtml,
};

function htmlResponse(body: string): HttpResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': PAGE_CSP,
      // The status page's address carries the status token; keep it out of every cache.
      'cache-control': 'no-store',
    },
    body,
  };
}

async function lambdaHandler(event: APIGatewayProxyEventV2) {
  const page = PAGES[event.routeKey];
  if (!page) throw new HttpProblem(404, 'not-found', 'No such page');
  return htmlResponse(page());
}

export const handler = httpApi(lambdaHandler, {
  // The status page reads its request id and token from the address (the page's
  // script sends them on to the API, which checks them strictly); nothing else is accepted.
  // The console takes nothing from the query: its token is pasted, never put in an address.
  query: z.strictObject({ id: z.string().max(128).optional(), token: z.string().max(128).optional() }),
  // The page sends its own policy (web/pages.ts); the middleware's HTML default forbids all scripts.
  securityHeaders: { contentSecurityPolicy: false },
});
