/**
 * What the compute endpoints (Lambda, Step Functions, API Gateway) share: an
 * endpoint handle over `ports.ts` loopback listening, and body reading
 * against the size limit of the AWS service each one stands in for.
 */
import type { IncomingMessage, Server } from 'node:http';
import { closeServer, LOOPBACK_HOST, listenOnLoopback } from './ports';

export interface LocalEndpoint {
  /** Base URL, e.g. `http://127.0.0.1:4010`, for `AWS_ENDPOINT_URL_<SERVICE>` or `fetch`. */
  readonly url: string;
  readonly port: number;
  /** Closes the listener and every open connection. */
  stop(): Promise<void>;
}

/** Starts `server` on 127.0.0.1 (`port` 0: any free port) and returns its endpoint. */
export async function serveOnLoopback(server: Server, port = 0): Promise<LocalEndpoint> {
  const boundPort = await listenOnLoopback(server, port);
  return { url: `http://${LOOPBACK_HOST}:${boundPort}`, port: boundPort, stop: () => closeServer(server) };
}

export class PayloadTooLargeError extends Error {
  override name = 'PayloadTooLargeError' as const;
  constructor(readonly limitBytes: number) {
    super(`Request body exceeds ${limitBytes} bytes`);
  }
}

/**
 * Reads the whole request body, or rejects with `PayloadTooLargeError` once
 * it passes `limitBytes`. The rest of an oversized body is drained (not kept)
 * so the caller can still answer with a clean 413.
 */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (tooLarge) reject(new PayloadTooLargeError(limitBytes));
      else resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}
