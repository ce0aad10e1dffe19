/**
 * Secure defaults, in one place. Every construct of the stack takes its
 * encryption, retention, runtime and bundling settings from here, so that a
 * reviewer reads one file to know how the deployment is hardened, and a change
 * to a default reaches every resource at once.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { IKey, KeyProps } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  BucketEncryption,
  type BucketProps,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';

/**
 * Powertools service name of every function. One name for the whole pipeline, so
 * that custom metrics carry the same `service` dimension whichever function emits
 * them and an alarm can name that dimension.
 */
export const SERVICE_NAME = 'dsar-pipeline';

/** CloudWatch metric namespace shared by Powertools metrics and the operators' alarms. */
export const METRICS_NAMESPACE = 'DsarPipeline';

/**
 * Lambda runtime: Node.js 22, the LTS line the handlers are written and tested for.
 * Pinned (not "latest") so that a CDK upgrade never changes the runtime under the code.
 */
export const LAMBDA_RUNTIME = Runtime.NODEJS_22_X;

/** Graviton: cheaper per GB-second than x86 and the handlers have no native dependencies. */
export const LAMBDA_ARCHITECTURE = Architecture.ARM_64;

/** esbuild target matching {@link LAMBDA_RUNTIME}. */
export const BUNDLING_TARGET = 'node22';

/**
 * ESM bundles cannot `require()`; some dependencies still do (CommonJS inside an ESM
 * bundle). This banner gives them a working `require` bound to the bundle's URL.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as topLevelCreateRequire } from 'node:module';const require = topLevelCreateRequire(import.meta.url);";

/**
 * Bundling for every pipeline function: esbuild on this machine (never Docker, so
 * synth works offline and in CI without a daemon), ESM, minified, with source maps.
 * Only the AWS SDK v3 is left out: the Node.js 22 runtime provides it.
 */
export const FUNCTION_BUNDLING: BundlingOptions = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  minify: true,
  sourceMap: true,
  target: BUNDLING_TARGET,
  externalModules: ['@aws-sdk/*'],
  // Quiet synth output (only esbuild warnings); `npm run synth` prints the bundle sizes itself.
  logLevel: LogLevel.WARNING,
};

/** @default 10 seconds, as documented on `FunctionDefinition.timeoutSeconds`. */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 10;
/** @default 256 MB, as documented on `FunctionDefinition.memoryMb`. */
export const DEFAULT_FUNCTION_MEMORY_MB = 256;

/** How long a failed asynchronous invocation waits in its dead-letter queue (the SQS maximum). */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * Log retention when none is configured: a year covers an annual audit without
 * keeping operational logs (which carry no PII) for ever.
 */
export const DEFAULT_LOG_RETENTION = RetentionDays.ONE_YEAR;

/** The retention periods CloudWatch Logs accepts, excluding "never expire". */
export const LOG_RETENTION_DAY_VALUES: readonly number[] = Object.values(RetentionDays).filter(
  (value): value is number => typeof value === 'number' && value !== RetentionDays.INFINITE,
);

/** Maps a configured number of days onto the CloudWatch Logs enum (validated by the config schema). */
export function logRetentionFromDays(days: number): RetentionDays {
  if (!LOG_RETENTION_DAY_VALUES.includes(days)) {
    throw new RangeError(`CloudWatch Logs does not accept a retention of ${days} days`);
  }
  return days as RetentionDays;
}

/** Customer-managed KMS key: yearly automatic rotation, 30 days to cancel a scheduled deletion. */
export function customerManagedKeyProps(description: string, removalPolicy: RemovalPolicy): KeyProps {
  return {
    description,
    enableKeyRotation: true,
    rotationPeriod: Duration.days(365),
    pendingWindow: Duration.days(30),
    removalPolicy,
  };
}

/** Incomplete multipart uploads hold storage (and possibly PII) invisibly; drop them after a day. */
export const ABORT_INCOMPLETE_MULTIPART_UPLOAD_AFTER = Duration.days(1);

/**
 * On a versioned bucket, deleting an object only hides it behind a delete marker.
 * Expiring non-current versions makes an erasure real within this period.
 */
export const NONCURRENT_VERSION_EXPIRATION = Duration.days(30);

/** Server access logs are kept this long unless the construct is told otherwise. */
export const DEFAULT_ACCESS_LOG_RETENTION_DAYS = 365;

/**
 * Properties shared by every data bucket: no public access, TLS only (1.2+),
 * SSE-KMS under the data key with S3 Bucket Keys (fewer KMS calls), ACLs disabled,
 * and server access logs to the access-log bucket.
 */
export function dataBucketProps(options: {
  readonly encryptionKey: IKey;
  readonly serverAccessLogsBucket: IBucket;
  readonly serverAccessLogsPrefix: string;
  readonly removalPolicy: RemovalPolicy;
}): BucketProps {
  return {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    encryption: BucketEncryption.KMS,
    encryptionKey: options.encryptionKey,
    bucketKeyEnabled: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: options.serverAccessLogsBucket,
    serverAccessLogsPrefix: options.serverAccessLogsPrefix,
    removalPolicy: options.removalPolicy,
  };
}

/**
 * The access-log bucket: S3 server access logging cannot deliver to an SSE-KMS
 * bucket, so this one uses S3-managed keys; otherwise as locked down as the rest.
 */
export function accessLogBucketProps(removalPolicy: RemovalPolicy, retentionDays: number): BucketProps {
  return {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    encryption: BucketEncryption.S3_MANAGED,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [
      {
        id: 'expire-access-logs',
        expiration: Duration.days(retentionDays),
        abortIncompleteMultipartUploadAfter: ABORT_INCOMPLETE_MULTIPART_UPLOAD_AFTER,
      },
    ],
    removalPolicy,
  };
}

/** API stage throttling when none is given: enough for a privacy mailbox, low enough to blunt abuse. */
export const DEFAULT_API_THROTTLE = { rateLimit: 20, burstLimit: 40 } as const;

/** Error alarms fire on the first failed invocation in a five-minute period. */
export const FUNCTION_ERROR_ALARM = {
  period: Duration.minutes(5),
  threshold: 1,
  evaluationPeriods: 1,
} as const;
