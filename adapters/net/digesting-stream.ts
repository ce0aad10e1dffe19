/**
 * A pass-through stream that computes the SHA-256 and byte count of what
 * flows through it, so a package can be hashed while it is uploaded or sent,
 * never held whole in memory.
 */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

export interface DigestingStream {
  readonly stream: Transform;
  /** Call once the stream has ended. */
  result(): { readonly sha256: Buffer; readonly bytes: number };
}

export function digestingStream(): DigestingStream {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      callback(null, chunk);
    },
  });
  return { stream, result: () => ({ sha256: hash.digest(), bytes }) };
}
