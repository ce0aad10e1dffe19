/**
 * The production StagingArea (app/fulfilment/ports.ts): a store's exported
 * records as JSON Lines in the staging bucket, streamed to a multipart upload
 * one line at a time, so memory stays flat whatever the store holds.
 */
import { PassThrough } from 'node:stream';
import { Upload } from '@aws-sdk/lib-storage';
import type { StagingArea } from '../../app/fulfilment/ports';
import type { ExportedRecord } from '../../connectors/contract';
import { s3 } from './clients/s3';
import { requiredEnv } from './runtime';

export function stagingKey(requestId: string, storeId: string): string {
  return `${requestId}/${storeId}.jsonl`;
}

async function stage(requestId: string, storeId: string, records: AsyncIterable<ExportedRecord>) {
  const key = stagingKey(requestId, storeId);
  const body = new PassThrough();
  const upload = new Upload({
    client: s3,
    params: {
      Bucket: requiredEnv('STAGING_BUCKET'),
      Key: key,
      Body: body,
      ContentType: 'application/x-ndjson',
    },
    queueSize: 1,
  });
  const uploaded = upload.done();
  let recordCount = 0;
  try {
    for await (const exported of records) {
      recordCount++;
      if (!body.write(`${JSON.stringify(exported)}\n`))
        await new Promise((resolve) => body.once('drain', resolve));
    }
    body.end();
  } catch (error) {
    body.destroy(error as Error);
    await uploaded.catch(() => undefined);
    throw error;
  }
  await uploaded;
  return { key, recordCount };
}

export const stagingArea: StagingArea = { stage };
