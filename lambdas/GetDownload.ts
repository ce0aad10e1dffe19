/** GetDownload: GET /v1/downloads/{token}, the expiring download link (app/downloads/get-download.ts). */
import { downloadTokens } from '../adapters/aws/download-tokens';
import { packageDownloads } from '../adapters/aws/package-downloads';
import { httpApi } from '../adapters/lambda/http-api';
import { HttpProblem } from '../adapters/lambda/http-problem';
import { getDownload } from '../app/downloads/get-download';
import { systemClock } from '../app/ports';

const deps = { tokens: downloadTokens, packages: packageDownloads, clock: systemClock };

const PROBLEMS = {
  invalid: () => new HttpProblem(403, 'link-invalid', 'This download link is not valid or has expired'),
  revoked: () => new HttpProblem(410, 'link-revoked', 'This download link has been revoked'),
  'package-deleted': () =>
    new HttpProblem(410, 'package-deleted', 'This package has been deleted; ask for a new copy'),
} as const;

export const handler = httpApi(async (event) => {
  const result = await getDownload(deps, event.pathParameters?.token ?? '');
  if (result.outcome !== 'redirect') throw PROBLEMS[result.outcome]();
  return {
    statusCode: 302,
    // Referrer-Policy: no-referrer comes from the security-headers middleware: the token must not leak onward.
    headers: { location: result.location, 'cache-control': 'no-store' },
    body: '',
  };
});
