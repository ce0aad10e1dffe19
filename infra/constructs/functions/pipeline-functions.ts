/**
 * Every pipeline function, one `PipelineFunction` per `FunctionDefinition`.
 * A later piece of the pipeline adds its function by adding an entry to
 * `PIPELINE_FUNCTIONS` (definitions/functions.ts); nothing here changes.
 */
import type { RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { type FunctionDefinition, PIPELINE_FUNCTIONS } from '../../../definitions/functions';
import {
  InvalidFunctionDefinitionError,
  PipelineFunction,
  type PipelineFunctionProps,
  type PowertoolsLogLevel,
} from './pipeline-function';

export interface PipelineFunctionsProps {
  /**
   * The functions to build.
   * @default PIPELINE_FUNCTIONS
   */
  readonly definitions?: readonly FunctionDefinition[];
  /** Tables by `TableDefinition.id`. */
  readonly tables: Readonly<Record<string, ITable>>;
  /** Buckets by `BucketDefinition.id`. */
  readonly buckets: Readonly<Record<string, IBucket>>;
  /**
   * Environment shared by every function.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Key for the dead-letter queues of asynchronously invoked functions.
   * @default - SQS-managed encryption
   */
  readonly deadLetterQueueKey?: IKey;
  /** @default RetentionDays.ONE_YEAR */
  readonly logRetention?: RetentionDays;
  /** @default 'INFO' */
  readonly logLevel?: PowertoolsLogLevel;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default the repository root */
  readonly projectRoot?: string;
  /**
   * Absolute path of the data-store registry the functions bundle.
   * @default `<projectRoot>/config/data-stores.demo.json`
   */
  readonly storeRegistryFile?: string;
  /** The audit trail's HMAC key (PipelineFunctionProps.auditTrailKey). @default - none */
  readonly auditTrailKey?: IKey;
}

export class PipelineFunctions extends Construct {
  /** Functions by `FunctionDefinition.id`. */
  public readonly functions: Readonly<Record<string, PipelineFunction>>;

  constructor(scope: Construct, id: string, props: PipelineFunctionsProps) {
    super(scope, id);
    const definitions = props.definitions ?? PIPELINE_FUNCTIONS;
    const seen = new Set<string>();
    for (const definition of definitions) {
      if (seen.has(definition.id)) {
        throw new InvalidFunctionDefinitionError(`Two function definitions share the id '${definition.id}'`);
      }
      seen.add(definition.id);
    }

    const shared: Omit<PipelineFunctionProps, 'definition'> = {
      tables: props.tables,
      buckets: props.buckets,
      environment: props.environment,
      deadLetterQueueKey: props.deadLetterQueueKey,
      logRetention: props.logRetention,
      logLevel: props.logLevel,
      removalPolicy: props.removalPolicy,
      projectRoot: props.projectRoot,
      storeRegistryFile: props.storeRegistryFile,
      auditTrailKey: props.auditTrailKey,
    };
    const functions: Record<string, PipelineFunction> = {};
    for (const definition of definitions) {
      functions[definition.id] = new PipelineFunction(this, definition.id, { ...shared, definition });
    }
    this.functions = functions;
  }

  /** All functions, in definition order. */
  public get all(): readonly PipelineFunction[] {
    return Object.values(this.functions);
  }

  /** The function built for a definition id. */
  public get(functionId: string): PipelineFunction | undefined {
    return Object.hasOwn(this.functions, functionId) ? this.functions[functionId] : undefined;
  }
}
