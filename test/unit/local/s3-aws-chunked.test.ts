import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AwsChunkedDecoder,
  decodedRequestHeaders,
  isAwsChunked,
  MalformedAwsChunkedBodyError,
} from '../../../local/s3-aws-chunked';

/** Frames `chunks` the way the SDK does for STREAMING-UNSIGNED-PAYLOAD-TRAILER. */
function frame(chunks: readonly Buffer[], trailer = 'x-amz-checksum-crc32:AAAAAA=='): Buffer {
  const parts = chunks.flatMap((chunk) => [
    Buffer.from(`${chunk.length.toString(16)}\r\n`),
    chunk,
    Buffer.from('\r\n'),
  ]);
  return Buffer.concat([...parts, Buffer.from(`0\r\n${trailer === '' ? '' : `${trailer}\r\n`}\r\n`)]);
}

/** Feeds `body` to a decoder cut at the given offsets, as a socket might deliver it. */
async function decode(body: Buffer, cuts: readonly number[] = []): Promise<Buffer> {
  const offsets = [
    0,
    ...[...new Set(cuts)].filter((cut) => cut > 0 && cut < body.length).sort((a, b) => a - b),
  ];
  const pieces = offsets.map((start, index) => body.subarray(start, offsets[index + 1] ?? body.length));
  const decoder = new AwsChunkedDecoder();
  const [, decoded] = await Promise.all([pipeline(Readable.from(pieces), decoder), buffer(decoder)]);
  return decoded;
}

describe('AwsChunkedDecoder', () => {
  it('emits the payload without sizes and trailer', async () => {
    const body = frame([Buffer.from('streamed '), Buffer.from('body')]);
    expect((await decode(body)).toString()).toBe('streamed body');
  });

  it('ignores chunk signatures of signed streaming payloads', async () => {
    const body = Buffer.from(
      `5;chunk-signature=${'a'.repeat(64)}\r\nhello\r\n0;chunk-signature=${'b'.repeat(64)}\r\n\r\n`,
    );
    expect((await decode(body)).toString()).toBe('hello');
  });

  it('decodes the same payload wherever the body is cut into network reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 5 }),
        fc.array(fc.nat(2_000), { maxLength: 20 }),
        async (chunks, cuts) => {
          const buffers = chunks.map((chunk) => Buffer.from(chunk));
          const decoded = await decode(frame(buffers), cuts);
          expect(decoded.equals(Buffer.concat(buffers))).toBe(true);
        },
      ),
    );
  });

  it.each([
    ['a chunk longer than its size', Buffer.from('3\r\nhello\r\n0\r\n\r\n')],
    ['a size that is not hexadecimal', Buffer.from('zz\r\nhello\r\n0\r\n\r\n')],
    ['a body that ends inside a chunk', Buffer.from('a\r\nhel')],
  ])('rejects %s', async (_, body) => {
    await expect(decode(body)).rejects.toBeInstanceOf(MalformedAwsChunkedBodyError);
  });
});

describe('isAwsChunked', () => {
  it.each([
    [{ 'content-encoding': 'aws-chunked' }, true],
    [{ 'content-encoding': 'gzip, aws-chunked' }, true],
    [{ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }, true],
    [{ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, false],
    [{ 'content-encoding': 'gzip' }, false],
  ])('tells whether %o frames the body', (headers, expected) => {
    expect(isAwsChunked(headers)).toBe(expected);
  });
});

describe('decodedRequestHeaders', () => {
  it('describes the decoded body and keeps every other header', () => {
    expect(
      decodedRequestHeaders({
        host: '127.0.0.1:4566',
        'content-encoding': 'gzip,aws-chunked',
        'transfer-encoding': 'chunked',
        'content-type': 'application/zip',
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'x-amz-decoded-content-length': '13',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      }),
    ).toEqual({
      host: '127.0.0.1:4566',
      'content-encoding': 'gzip',
      'content-type': 'application/zip',
      'content-length': '13',
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    });
  });

  it('drops Content-Encoding when aws-chunked was the only encoding', () => {
    expect(decodedRequestHeaders({ 'content-encoding': 'aws-chunked' })).not.toHaveProperty(
      'content-encoding',
    );
  });
});
