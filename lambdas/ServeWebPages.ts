/**
 * ServeWebPages: GET / and GET /status (the requester's form and status page) and GET /console (the
 * console users' page), behind the same HTTP API as the JSON API, so they work the same on AWS and locally
 * with no static-file host. The pages come from web/ (the one entry file that imports web/); they hold no
 * request data: the status page fetches it with the status token, the console with a bearer token.
 */
import { z } from 'zod';
import { organisationSettings } from '../adapters/config/organisation';
import { httpApi } from '../adapters/lambda/http-api';
import { HttpProblem } from '../adapters/lambda/http-problem';
import { PAGE_CSP, pageForRoute } from '../web/pages';

export const handler = httpApi(
  async (event) => {
    const page = pageForRoute(event.routeKey, organisationSettings);
    if (page === undefined) throw new HttpProblem(404, 'not-found', 'No such page');
    // The status page's address carries the status token; keep it out of every cache.
    const headers = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP };
    return { statusCode: 200, headers: { ...headers, 'cache-control': 'no-store' }, body: page };
  },
  {
    // The status page reads its request id and token from the address (its script sends them on to the
    // API, which checks them strictly); the console takes nothing from the query (its token is pasted).
    query: z.strictObject({ id: z.string().max(128).optional(), token: z.string().max(128).optional() }),
    // The page sends its own policy (web/pages.ts); the middleware's HTML default forbids all scripts.
    securityHeaders: { contentSecurityPolicy: false },
  },
);
