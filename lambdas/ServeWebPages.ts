/**
 * ServeWebPages: GET / and GET /status (the requester's form and status page) and GET /console (the
 * console users' page), behind the same HTTP API as the JSON API, so they work the same on AWS and locally
 * with no static-file host. The pages are strings bundled from web/ (the one entry file that imports web/);
 * they hold no request data: the status page fetches it with the status token, the console with the
 * console user's bearer token. No use case: choosing a page is all there is.
 */
import { z } from 'zod';
import { requiredEnv } from '../adapters/aws/runtime';
import { httpApi } from '../adapters/lambda/http-api';
import { HttpProblem } from '../adapters/lambda/http-problem';
import { listPolicies } from '../domain/policy/registry';
import { consolePage, formPage, PAGE_CSP, statusPage } from '../web/pages';

const formPages = new Map<string, string>();
const statusHtml = statusPage();
const consoleHtml = consolePage({ policies: listPolicies() });

const PAGES: Readonly<Record<string, () => string>> = {
  // Rendered once per default policy (read at call time: local mode sets the environment after import).
  'GET /': () => {
    const defaultPolicyId = requiredEnv('DEFAULT_POLICY_ID');
    const page = formPages.get(defaultPolicyId) ?? formPage({ policies: listPolicies(), defaultPolicyId });
    formPages.set(defaultPolicyId, page);
    return page;
  },
  'GET /status': () => statusHtml,
  'GET /console': () => consoleHtml,
};

export const handler = httpApi(
  async (event) => {
    const page = PAGES[event.routeKey];
    if (!page) throw new HttpProblem(404, 'not-found', 'No such page');
    return {
      statusCode: 200,
      // The status page's address carries the status token; keep it out of every cache.
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': PAGE_CSP,
        'cache-control': 'no-store',
      },
      body: page(),
    };
  },
  {
    // The status page reads its request id and token from the address (its script sends them on to the
    // API, which checks them strictly); the console takes nothing from the query (its token is pasted).
    query: z.strictObject({ id: z.string().max(128).optional(), token: z.string().max(128).optional() }),
    // The page sends its own policy (web/pages.ts); the middleware's HTML default forbids all scripts.
    securityHeaders: { contentSecurityPolicy: false },
  },
);
