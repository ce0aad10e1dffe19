/**
 * Decoding of S3's `aws-chunked` upload encoding, for the local S3 server.
 *
 * Why it exists: AWS SDK v3 computes a checksum for every upload it can
 * (requestChecksumCalculation WHEN_SUPPORTED). For a streaming body it sends
 * `Content-Encoding: aws-chunked`, with the payload framed in chunks and the
 * checksum in a trailer. S3 removes the framing; s3rver does not and would
 * store the framing as part of the object. The S3 server process decodes such
 * bodies before s3rver sees them.
 *
 * What it reproduces: the framing of STREAMING-UNSIGNED-PAYLOAD-TRAILER and
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER) bodies:
 *   <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n ... 0[;...]\r\n[<trailer>\r\n...]\r\n
 * What it does not: verify chunk signatures or the trailing checksum.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** The body is not valid aws-chunked framing. */
export class MalformedAwsChunkedBodyError extends Error {
  override name = 'MalformedAwsChunkedBodyError' as const;
}

type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

const MAX_LINE_BYTES = 8_192;
const CRLF = Buffer.from('\r\n');

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.join(',');
}

/** True when a request body uses the aws-chunked framing. */
export function isAwsChunked(headers: Headers): boolean {
  const encodings = (single(headers['content-encoding']) ?? '').split(',').map((token) => token.trim());
  const payload = single(headers['x-amz-content-sha256']) ?? '';
  return encodings.includes('aws-chunked') || payload.startsWith('STREAMING-');
}

/**
 * The headers the request would have carried without the framing: aws-chunked
 * removed from Content-Encoding, Content-Length set to the decoded length, and
 * the streaming payload marker replaced by UNSIGNED-PAYLOAD.
 */
export function decodedRequestHeaders(headers: Headers): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = typeof value === 'string' ? value : [...value];
  }
  const encodings = (single(headers['content-encoding']) ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token !== '' && token !== 'aws-chunked');
  delete result['content-encoding'];
  if (encodings.length > 0) result['content-encoding'] = encodings.join(', ');
  delete result['transfer-encoding'];
  delete result['content-length'];
  const decodedLength = single(headers['x-amz-decoded-content-length']);
  if (decodedLength !== undefined) result['content-length'] = decodedLength;
  delete result['x-amz-decoded-content-length'];
  delete result['x-amz-trailer'];
  result['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  return result;
}

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

/** A stream that takes an aws-chunked body and emits the payload. */
export class AwsChunkedDecoder extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private state: State = 'size';
  private remaining = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    try {
      this.drain();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    // A body that ends right after the last chunk's size line, without the final empty line, is accepted.
    const complete = this.state === 'done' || (this.state === 'trailer' && this.buffer.length === 0);
    callback(complete ? null : new MalformedAwsChunkedBodyError('The body ended inside a chunk'));
  }

  private drain(): void {
    for (;;) {
      if (this.state === 'done') {
        this.buffer = Buffer.alloc(0);
        return;
      }
      if (this.state === 'data') {
        if (this.buffer.length === 0) return;
        const take = Math.min(this.remaining, this.buffer.length);
        this.push(this.buffer.subarray(0, take));
        this.buffer = this.buffer.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-end';
        continue;
      }
      const line = this.readLine();
      if (line === undefined) return;
      if (this.state === 'data-end') {
        if (line !== '') throw new MalformedAwsChunkedBodyError('A chunk is longer than its declared size');
        this.state = 'size';
      } else if (this.state === 'size') {
        const sizeField = line.split(';', 1)[0]?.trim() ?? '';
        if (!/^[0-9a-fA-F]+$/.test(sizeField)) {
          throw new MalformedAwsChunkedBodyError('A chunk does not start with its size');
        }
        this.remaining = Number.parseInt(sizeField, 16);
        this.state = this.remaining === 0 ? 'trailer' : 'data';
      } else if (line === '') {
        // The empty line after the trailers (or after the last chunk when there are none).
        this.state = 'done';
      }
    }
  }

  private readLine(): string | undefined {
    const end = this.buffer.indexOf(CRLF);
    if (end < 0) {
      if (this.buffer.length > MAX_LINE_BYTES)
        throw new MalformedAwsChunkedBodyError('A chunk header is too long');
      return undefined;
    }
    const line = this.buffer.subarray(0, end).toString('latin1');
    this.buffer = this.buffer.subarray(end + CRLF.length);
    return line;
  }
}
