/**
 * What the export tests share: this test process configured like a pipeline
 * function of the running local stack (same endpoints, tables, buckets and
 * HMAC key, so tokens issued here resolve in the stack's GetDownload), staged
 * records, and a real `unzip`.
 */

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ExportedRecord } from '../../../connectors/contract';
import { AUDIT_TRAIL_KEY_VARIABLE } from '../../../definitions/functions';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import { localTableNames } from '../../../local/dynamodb';
import { LOCAL_TRAIL_KEY_ARN } from '../../../local/kms';
import { localBucketNames } from '../../../local/s3';
import { HMAC_KEY_SECRET_NAME, localSecretArn } from '../../../local/secrets-manager';
import type { LocalStackUrls } from '../../../local/stack';

const run = promisify(execFile);

/** Sets the environment a pipeline function of the stack gets; call before importing function modules. */
export function configureAsStackFunction(stack: LocalStackUrls): Record<string, string> {
  const buckets = localBucketNames();
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodb,
    AWS_ENDPOINT_URL_S3: stack.s3,
    S3_FORCE_PATH_STYLE: 'true',
    ...localTableNames(),
    ...buckets,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: stack.secretsManager,
    PIPELINE_HMAC_KEY_SECRET_ARN: localSecretArn(HMAC_KEY_SECRET_NAME),
    // Every audit event is MACed through the local KMS, as the stack's functions do.
    AWS_ENDPOINT_URL_KMS: stack.kms,
    [AUDIT_TRAIL_KEY_VARIABLE]: LOCAL_TRAIL_KEY_ARN,
    PUBLIC_BASE_URL: stack.api,
    POWERTOOLS_LOG_LEVEL: 'WARN',
  });
  return buckets;
}

/** Creates a request through the public API, as a requester would; returns its id. */
export async function submitRequest(api: string): Promise<string> {
  const response = await fetch(`${api}/v1/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'copy', subject: { email: `export-${randomUUID()}@example.com` } }),
  });
  if (response.status !== 202) throw new Error(`submit answered ${response.status}`);
  return ((await response.json()) as { requestId: string }).requestId;
}

/** Writes records as a store task does: JSON Lines, one ExportedRecord a line. */
export async function stage(
  s3: S3Client,
  bucket: string,
  key: string,
  records: readonly ExportedRecord[],
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: records.map((record) => `${JSON.stringify(record)}\n`).join(''),
      ContentType: 'application/x-ndjson',
    }),
  );
}

export async function unzipTest(zipFile: string): Promise<string> {
  const { stdout } = await run('/usr/bin/unzip', ['-t', zipFile]);
  return stdout;
}

export async function unzipList(zipFile: string): Promise<string[]> {
  const { stdout } = await run('/usr/bin/unzip', ['-Z1', zipFile]);
  return stdout.split('\n').filter((line) => line !== '');
}

export async function unzipFile(zipFile: string, name: string): Promise<Buffer> {
  const { stdout } = await run('/usr/bin/unzip', ['-p', zipFile, name], {
    encoding: 'buffer',
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}
