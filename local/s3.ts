/**
 * S3 for local mode: s3rver, an S3-compatible server, in its own process
 * (local/s3-server-process.ts), plus bucket creation from the same
 * definitions the CDK stack deploys.
 *
 * Why it exists: the pipeline's handlers use the ordinary S3 client (with
 * `forcePathStyle: true` when S3_FORCE_PATH_STYLE=true); in local mode only
 * AWS_ENDPOINT_URL_S3 changes. s3rver is pure JavaScript, so local mode needs
 * no Docker and no binary download.
 *
 * What it reproduces: path-style buckets and objects on 127.0.0.1, persisted
 * under `<stateDir>/s3`; put/get/head/delete, copy, ListObjectsV2 with
 * continuation tokens, multipart upload (lib-storage's Upload), and presigned
 * URLs whose signature and expiry are both checked, with S3's 403 XML errors.
 *
 * What it does not: versioning (s3rver answers PutBucketVersioning with
 * NotImplemented; `createBuckets` reports which buckets wanted it), lifecycle
 * expiry (the local sweeper deletes expired objects instead), bucket policies,
 * encryption, object lock, checksums in responses, and verification of
 * header-signed requests (any request from the local access key is accepted).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  BucketAlreadyExists,
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  NotFound,
  PutBucketVersioningCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { type BucketDefinition, PIPELINE_BUCKETS } from '../definitions/buckets';
import { terminateChild, terminateWithParent } from './child-processes';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './credentials';
import { LOOPBACK_HOST } from './ports';

/** The S3 server process did not start. */
export class S3ServerStartError extends Error {
  override name = 'S3ServerStartError' as const;
}

/** `createBuckets` was given no physical name for a definition. */
export class MissingBucketNameError extends Error {
  override name = 'MissingBucketNameError' as const;
}

export interface S3ServerOptions {
  /** Directory for persistent state; objects live in `<stateDir>/s3`. */
  readonly stateDir: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default 30_000 */
  readonly readyTimeoutMs?: number;
}

export interface S3Server {
  /** `http://127.0.0.1:<port>`, the value for AWS_ENDPOINT_URL_S3. */
  readonly endpoint: string;
  readonly port: number;
  /** Process id of the server process. */
  readonly pid: number;
  /** Stops the server process and waits until it has exited. */
  stop(): Promise<void>;
}

const OUTPUT_TAIL_CHARS = 4_000;

/** An S3 client for the local endpoint: path-style, local dummy credentials. */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });
}

/**
 * Starts the S3 server process on 127.0.0.1. It is terminated by `stop()`, and
 * also when this process exits, is interrupted, or dies.
 */
export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const { stateDir, port = 0, readyTimeoutMs = 30_000 } = options;
  const entry = fileURLToPath(new URL('./s3-server-process.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      tsx,
      entry,
      JSON.stringify({ directory: join(stateDir, 's3'), port }),
    ],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  terminateWithParent(child);

  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  try {
    const boundPort = await waitForListening(child, readyTimeoutMs, () => output);
    const pid = child.pid;
    if (pid === undefined) throw new S3ServerStartError('The S3 server process has no process id');
    return {
      endpoint: `http://${LOOPBACK_HOST}:${boundPort}`,
      port: boundPort,
      pid,
      stop: () => terminateChild(child),
    };
  } catch (error) {
    await terminateChild(child);
    throw error;
  }
}

function waitForListening(child: ChildProcess, timeoutMs: number, output: () => string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new S3ServerStartError(`The S3 server did not start within ${timeoutMs} ms. Output:\n${output()}`),
      );
    }, timeoutMs);
    const onMessage = (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'listening' in message) {
        cleanup();
        resolve(Number(message.listening));
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(
        new S3ServerStartError(`Could not start the S3 server process: ${error.message}`, { cause: error }),
      );
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      cleanup();
      reject(
        new S3ServerStartError(
          `The S3 server exited before listening (code ${code}, signal ${signal}). Output:\n${output()}`,
        ),
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('error', onError);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

/**
 * Physical bucket names for local mode, keyed by each definition's `envVar`:
 * `{ INBOUND_BUCKET: 'dsar-inboundmail', ... }`. Bucket names must be lower
 * case, so the definition id is lower-cased.
 */
export function localBucketNames(
  prefix = 'dsar',
  definitions: readonly BucketDefinition[] = PIPELINE_BUCKETS,
): Record<string, string> {
  return Object.fromEntries(
    definitions.map((definition) => [definition.envVar, `${prefix}-${definition.id}`.toLowerCase()]),
  );
}

export interface CreateBucketsResult {
  /** Physical names of buckets this call created. */
  readonly created: readonly string[];
  /** Physical names of buckets that already existed and were left as they were. */
  readonly existing: readonly string[];
  /** Buckets whose definition asks for versioning that the server does not implement (s3rver). */
  readonly versioningUnsupported: readonly string[];
}

/**
 * Creates each bucket that does not exist yet, so local state survives
 * restarts, and asks for versioning where the definition says so. A server
 * that does not implement versioning (s3rver) is reported in the result, not
 * treated as an error.
 */
export async function createBuckets(
  client: S3Client,
  definitions: readonly BucketDefinition[],
  names: Record<string, string>,
): Promise<CreateBucketsResult> {
  const created: string[] = [];
  const existing: string[] = [];
  const versioningUnsupported: string[] = [];
  for (const definition of definitions) {
    const bucketName = names[definition.envVar];
    if (bucketName === undefined) {
      throw new MissingBucketNameError(`No bucket name given for ${definition.envVar}`);
    }
    if (await bucketExists(client, bucketName)) {
      existing.push(bucketName);
    } else {
      try {
        await client.send(new CreateBucketCommand({ Bucket: bucketName }));
        created.push(bucketName);
      } catch (error) {
        // Another process created it between HeadBucket and CreateBucket (s3rver says BucketAlreadyExists).
        if (!(error instanceof BucketAlreadyOwnedByYou || error instanceof BucketAlreadyExists)) throw error;
        existing.push(bucketName);
      }
    }
    if (definition.versioned) {
      try {
        await client.send(
          new PutBucketVersioningCommand({
            Bucket: bucketName,
            VersioningConfiguration: { Status: 'Enabled' },
          }),
        );
      } catch (error) {
        if (!(error instanceof S3ServiceException && error.name === 'NotImplemented')) throw error;
        versioningUnsupported.push(bucketName);
      }
    }
  }
  return { created, existing, versioningUnsupported };
}

async function bucketExists(client: S3Client, bucketName: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucketName }));
    return true;
  } catch (error) {
    if (error instanceof NotFound || (error instanceof S3ServiceException && error.name === 'NoSuchBucket')) {
      return false;
    }
    throw error;
  }
}
