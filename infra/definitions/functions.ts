/**
 * The Lambda functions of the pipeline: one entry per handler module. Local
 * mode serves these over the Lambda Invoke protocol; the CDK stack bundles
 * each entry with esbuild and grants exactly the access declared here.
 * Plain data, no aws-cdk-lib imports.
 */
import type { BucketDefinition } from './buckets';
import type { TableDefinition } from './tables';

export type TableAccess = 'read' | 'write' | 'read-write' | 'append-only';
export type BucketAccess = 'read' | 'write' | 'read-write';

export interface FunctionDefinition {
  /** Logical id: the CDK construct id and the local function name, e.g. `SubmitRequest`. */
  readonly id: string;
  /** Repository-relative path of the handler module, e.g. `functions/intake/submit-request.ts`. */
  readonly entry: string;
  /** Exported handler name in the module. */
  readonly handler: 'handler';
  readonly description: string;
  readonly tables: readonly { readonly table: TableDefinition; readonly access: TableAccess }[];
  readonly buckets: readonly { readonly bucket: BucketDefinition; readonly access: BucketAccess }[];
  /** @default 10 */
  readonly timeoutSeconds?: number;
  /** @default 256 */
  readonly memoryMb?: number;
  /**
   * True when the function is invoked asynchronously (events, `InvocationType: Event`):
   * it then gets a dead-letter queue for events that fail every retry.
   * @default false
   */
  readonly asyncInvoke?: boolean;
}

/** Every function of the pipeline; the CDK stack deploys each entry. */
export const PIPELINE_FUNCTIONS: readonly FunctionDefinition[] = [];
