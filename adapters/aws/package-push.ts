/**
 * The production PackagePush (app/fulfilment/ports.ts): the package is read from the exports bucket twice,
 * as streams (once to digest it, for the headers that precede the body; once to send it, digested again on
 * the way), and POSTed through the outbound guard (adapters/net/outbound-guard.ts) to the one checked
 * address of the recipient's endpoint.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { PackagePush } from '../../app/fulfilment/ports';
import { digestingStream } from '../net/digesting-stream';
import { allowedPortabilityOrigins, guardedPost, pinEndpoint } from '../net/outbound-guard';
import { s3 } from './clients/s3';
import { requiredEnv } from './runtime';

async function packageStream(key: string): Promise<Readable> {
  const object = await s3.send(new GetObjectCommand({ Bucket: requiredEnv('EXPORTS_BUCKET'), Key: key }));
  return object.Body as Readable;
}

/** SHA-256 and size of the package, read once as a stream (the header must precede the body). */
async function packageDigest(key: string) {
  const digest = digestingStream();
  await pipeline(await packageStream(key), digest.stream, async (source: AsyncIterable<Buffer>) => {
    for await (const _chunk of source);
  });
  return digest.result();
}

export const packagePush: PackagePush = {
  async push({ endpoint, requestId, packageKey }) {
    const pinned = await pinEndpoint(endpoint, { allowedOrigins: allowedPortabilityOrigins() });
    const expected = await packageDigest(packageKey);
    const sent = digestingStream();
    const answer = await guardedPost({
      endpoint: pinned,
      headers: {
        'content-type': 'application/zip',
        'content-length': String(expected.bytes),
        'content-digest': `sha-256=:${expected.sha256.toString('base64')}:`,
        'idempotency-key': requestId,
        'x-dsar-request-id': requestId,
        'user-agent': 'dsar-pipeline (portability transfer)',
      },
      body: (await packageStream(packageKey)).pipe(sent.stream),
    });
    const actual = sent.result();
    return {
      host: pinned.url.host,
      address: pinned.address,
      status: answer.status,
      body: answer.body,
      truncated: answer.truncated,
      expected: { sha256: expected.sha256.toString('hex'), bytes: expected.bytes },
      sent: { sha256: actual.sha256.toString('hex'), bytes: actual.bytes },
    };
  },
};
