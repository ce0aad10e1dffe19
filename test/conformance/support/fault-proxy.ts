/**
 * A fault-injecting TCP proxy for the conformance suite's fault obligations:
 * the connector under test reaches its real local store through it, and the
 * test cuts, slows or answers for the store. It knows nothing of the store's
 * protocol, so the same proxy serves DynamoDB Local, the S3 server,
 * PostgreSQL and the fake processor. Only the fault is faked; every answer
 * that gets through comes from the real store.
 *
 * Modes (switched at any time; `up()` restores plain forwarding):
 * - `down()`: every open connection is reset, and new ones are reset as
 *   soon as they are accepted (the store crashed, or its host went away);
 * - `cutAfter(n)`: forwards n more chunks (either way), then goes down on
 *   the next one (the store goes away in the middle of a call: a request
 *   may have reached it and its answer be lost);
 * - `slow(ms)`: every chunk, both ways, is delivered ms late, in order;
 * - `answer(bytes)`: any chunk from the client is answered with `bytes` by
 *   the proxy itself and the connection closed (a throttling answer: HTTP
 *   429, DynamoDB ThrottlingException, S3 SlowDown, PostgreSQL 53300).
 *
 * `chunks` counts the chunks forwarded either way, so a test can measure a
 * call once and cut the next run of it half-way.
 */
import { connect, createServer, type Socket } from 'node:net';
import { LOOPBACK_HOST, listenOnLoopback } from '../../../local/ports';

type Mode =
  | { readonly kind: 'up' }
  | { readonly kind: 'down' }
  | { readonly kind: 'cut-after'; remaining: number }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'answer'; readonly bytes: Buffer };

export interface FaultProxy {
  /** The port to give the connector instead of the store's. */
  readonly port: number;
  /** Chunks forwarded, either way, since the proxy started. */
  readonly chunks: number;
  /** How many times the proxy has gone down (by `down()` or a `cutAfter` firing). */
  readonly cuts: number;
  up(): void;
  down(): void;
  cutAfter(chunks: number): void;
  slow(delayMs: number): void;
  answer(bytes: string | Uint8Array): void;
  close(): Promise<void>;
}

/** Writes chunks to `target` no earlier than their due time, in the order they came. */
class DelayedPipe {
  private readonly queue: { at: number; chunk: Buffer }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly target: Socket) {}

  push(chunk: Buffer, delayMs: number): void {
    if (delayMs <= 0 && this.queue.length === 0) {
      if (!this.target.destroyed) this.target.write(chunk);
      return;
    }
    this.queue.push({ at: Date.now() + delayMs, chunk });
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const head = this.queue[0];
    if (head === undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        const now = Date.now();
        while (this.queue[0] !== undefined && this.queue[0].at <= now) {
          const { chunk } = this.queue.shift() as { chunk: Buffer };
          if (!this.target.destroyed) this.target.write(chunk);
        }
        this.schedule();
      },
      Math.max(0, head.at - Date.now()),
    );
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
  }
}

interface Link {
  readonly client: Socket;
  readonly store: Socket;
  readonly toStore: DelayedPipe;
  readonly toClient: DelayedPipe;
}

function reset(socket: Socket): void {
  if (socket.destroyed) return;
  // An RST, as a crashed peer or a dropped route gives: ECONNRESET on the other side.
  if (typeof socket.resetAndDestroy === 'function' && socket.readyState !== 'opening')
    socket.resetAndDestroy();
  else socket.destroy();
}

/** Starts a proxy on 127.0.0.1 (a port the kernel picks) in front of `127.0.0.1:<targetPort>`. */
export async function startFaultProxy(targetPort: number, targetHost = LOOPBACK_HOST): Promise<FaultProxy> {
  let mode: Mode = { kind: 'up' };
  let chunks = 0;
  let cuts = 0;
  const links = new Set<Link>();

  const cutAll = () => {
    cuts++;
    mode = { kind: 'down' };
    for (const link of links) {
      link.toStore.clear();
      link.toClient.clear();
      reset(link.client);
      reset(link.store);
    }
    links.clear();
  };

  const server = createServer((client) => {
    // Errors are the point here: a reset socket must not become an unhandled 'error'.
    client.on('error', () => {});
    if (mode.kind === 'down') {
      reset(client);
      return;
    }
    const store = connect(targetPort, targetHost);
    store.on('error', () => reset(client));
    const link: Link = { client, store, toStore: new DelayedPipe(store), toClient: new DelayedPipe(client) };
    links.add(link);
    const close = () => {
      links.delete(link);
      link.toStore.clear();
      link.toClient.clear();
    };
    client.on('close', () => {
      close();
      store.destroy();
    });
    store.on('close', () => {
      close();
      client.end();
    });
    /** Applies the mode to one chunk, either way; false when the chunk is dropped. */
    const admit = (fromClient: boolean): boolean => {
      switch (mode.kind) {
        case 'down':
          reset(client);
          reset(store);
          return false;
        case 'answer':
          if (!fromClient) return true;
          client.end(mode.bytes);
          store.destroy();
          return false;
        case 'cut-after':
          if (mode.remaining <= 0) {
            cutAll();
            return false;
          }
          mode.remaining--;
          return true;
        default:
          return true;
      }
    };
    const delay = () => (mode.kind === 'slow' ? mode.delayMs : 0);
    client.on('data', (chunk: Buffer) => {
      if (!admit(true)) return;
      chunks++;
      link.toStore.push(chunk, delay());
    });
    store.on('data', (chunk: Buffer) => {
      if (!admit(false)) return;
      chunks++;
      link.toClient.push(chunk, delay());
    });
  });
  const port = await listenOnLoopback(server);

  return {
    port,
    get chunks() {
      return chunks;
    },
    get cuts() {
      return cuts;
    },
    up: () => {
      mode = { kind: 'up' };
    },
    down: cutAll,
    cutAfter: (count) => {
      mode = { kind: 'cut-after', remaining: count };
    },
    slow: (delayMs) => {
      mode = { kind: 'slow', delayMs };
    },
    answer: (bytes) => {
      mode = { kind: 'answer', bytes: Buffer.from(bytes) };
    },
    close: async () => {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An HTTP/1.1 response as raw bytes, closing the connection (for `answer`). */
export function httpAnswer(
  status: number,
  reason: string,
  headers: Readonly<Record<string, string>> = {},
  body = '',
): string {
  const lines = [
    `HTTP/1.1 ${status} ${reason}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** A PostgreSQL ErrorResponse message (protocol 3.0) with the given SQLSTATE, as the server sends it. */
export function postgresErrorAnswer(sqlstate: string, message: string, severity = 'FATAL'): Buffer {
  const fields = Buffer.concat([
    ...[
      ['S', severity],
      ['V', severity],
      ['C', sqlstate],
      ['M', message],
    ].map(([type, value]) => Buffer.from(`${type}${value}\0`, 'utf8')),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(5);
  header.write('E', 0, 'ascii');
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

/** DynamoDB refusing for the request rate (the JSON protocol's ThrottlingException). */
export const DYNAMODB_THROTTLED = httpAnswer(
  400,
  'Bad Request',
  { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-ErrorType': 'ThrottlingException' },
  JSON.stringify({ __type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate exceeded' }),
);

/** S3 asking the caller to slow down (503 SlowDown). */
export const S3_SLOW_DOWN = httpAnswer(
  503,
  'Slow Down',
  { 'Content-Type': 'application/xml' },
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
);

/** An HTTP processor's rate limit. */
export const HTTP_TOO_MANY_REQUESTS = httpAnswer(429, 'Too Many Requests', { 'Retry-After': '1' });

/** PostgreSQL at max_connections: what it answers a new connection, and what a proxy answers any query with. */
export const POSTGRES_TOO_MANY_CLIENTS = postgresErrorAnswer('53300', 'sorry, too many clients already');
