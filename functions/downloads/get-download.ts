/**
 * GET /v1/downloads/{token} — the requester's expiring download link. A valid
 * link is audited (`download-link-used`) and answered with a 302 to a
 * presigned S3 URL that lives a few minutes, so the package itself is never
 * public and a copied S3 URL soon stops working.
 *
 * An unknown, malformed or expired token gets 403 with one message, so a
 * guess learns nothing; a revoked link gets 410, as does a package that the
 * retention job has already deleted.
 */
import { GetObjectCommand, HeadObjectCommand, NotFound } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { s3 } from '../../adapters/aws/clients/s3';
import {
  DownloadLinkRevoked,
  recordDownloadLinkUse,
  resolveDownloadToken,
} from '../../adapters/aws/download-links';
import { requiredEnv } from '../../adapters/aws/runtime';
import { type HttpResult, httpApi } from '../../adapters/lambda/http-api';
import { HttpProblem } from '../../adapters/lambda/http-problem';

/** Long enough to start a download on a slow connection, short enough that a copied URL is soon useless. */
export const PRESIGNED_URL_SECONDS = 300;

const forbidden = () =>
  new HttpProblem(403, 'link-invalid', 'This download link is not valid or has expired');
const revoked = () => new HttpProblem(410, 'link-revoked', 'This download link has been revoked');

/** An ASCII file name that no browser or shell can misread, from the request id. */
export function downloadFileName(packageKey: string): string {
  const requestId = packageKey.split('/')[0] ?? 'request';
  return `personal-data-${requestId.replace(/[^A-Za-z0-9._-]/g, '_')}.zip`;
}

async function packageExists(bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (error instanceof NotFound) return false;
    throw error;
  }
}

async function lambdaHandler(event: APIGatewayProxyEventV2): Promise<HttpResult> {
  const now = new Date();
  const resolved = await resolveDownloadToken(event.pathParameters?.token ?? '', now);
  if (resolved.outcome === 'unknown' || resolved.outcome === 'expired') throw forbidden();
  if (resolved.outcome === 'revoked') throw revoked();
  const { link } = resolved;

  const bucket = requiredEnv('EXPORTS_BUCKET');
  if (!(await packageExists(bucket, link.packageKey))) {
    throw new HttpProblem(410, 'package-deleted', 'This package has been deleted; ask for a new copy');
  }
  await recordDownloadLinkUse(link, now).catch((error: unknown) => {
    throw error instanceof DownloadLinkRevoked ? revoked() : error;
  });
  const location = await getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: bucket,
      Key: link.packageKey,
      ResponseContentType: 'application/zip',
      ResponseContentDisposition: `attachment; filename="${downloadFileName(link.packageKey)}"`,
    }),
    { expiresIn: PRESIGNED_URL_SECONDS },
  );
  return {
    statusCode: 302,
    // Referrer-Policy: no-referrer comes from the security-headers middleware: the token must not leak onward.
    headers: { location, 'cache-control': 'no-store' },
    body: '',
  };
}

export const handler = httpApi(lambdaHandler);
