/**
 * The DSAR pipeline stack: data, functions, API and operations, composed from
 * the deployment configuration and the shared definitions.
 */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { FeaturePlan } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import type { PipelineConfig } from './config';
import { IntakeApi } from './constructs/api/intake-api';
import { PipelineData } from './constructs/data/pipeline-data';
import { PipelineFunctions } from './constructs/functions/pipeline-functions';
import { Operations } from './constructs/observability/operations';
import { logRetentionFromDays } from './constructs/secure-defaults';
import { EXPORTS_BUCKET, INBOUND_MAIL_BUCKET } from './definitions/buckets';
import { type FunctionDefinition, PIPELINE_FUNCTIONS } from './definitions/functions';
import { PIPELINE_ROUTES, type RouteDefinition } from './definitions/routes';

export interface DsarPipelineStackProps extends StackProps {
  /** Validated deployment configuration (`loadPipelineConfig`). */
  readonly config: PipelineConfig;
  /**
   * Functions to deploy.
   * @default PIPELINE_FUNCTIONS
   */
  readonly functions?: readonly FunctionDefinition[];
  /**
   * Routes of the HTTP API.
   * @default PIPELINE_ROUTES
   */
  readonly routes?: readonly RouteDefinition[];
  /**
   * Directory that function entries are relative to.
   * @default the repository root
   */
  readonly projectRoot?: string;
}

export class DsarPipelineStack extends Stack {
  public readonly data: PipelineData;
  public readonly functions: PipelineFunctions;
  public readonly api: IntakeApi;
  public readonly operations: Operations;

  constructor(scope: Construct, id: string, props: DsarPipelineStackProps) {
    const { config, functions, routes, projectRoot, ...stackProps } = props;
    super(scope, id, {
      description:
        'DSAR pipeline: intake, identity verification, fulfilment and deadlines for data subject requests',
      ...stackProps,
    });
    const removalPolicy = config.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const logRetention = logRetentionFromDays(config.logRetentionDays);

    this.data = new PipelineData(this, 'Data', {
      expireAfterDays: {
        [EXPORTS_BUCKET.id]: config.exportRetentionDays,
        [INBOUND_MAIL_BUCKET.id]: config.inboundMailRetentionDays,
      },
      tableDeletionProtection: config.tableDeletionProtection,
      removalPolicy,
    });

    this.functions = new PipelineFunctions(this, 'Functions', {
      definitions: functions ?? PIPELINE_FUNCTIONS,
      tables: this.data.tables,
      buckets: this.data.buckets,
      environment: {
        POLICY_ID: config.policyId,
        DOWNLOAD_LINK_LIFETIME_DAYS: String(config.downloadLinkLifetimeDays),
        ...(config.senderAddress === undefined ? {} : { SENDER_ADDRESS: config.senderAddress }),
      },
      deadLetterQueueKey: this.data.key,
      logRetention,
      logLevel: config.logLevel,
      removalPolicy,
      projectRoot,
    });

    this.api = new IntakeApi(this, 'Api', {
      routes: routes ?? PIPELINE_ROUTES,
      functions: Object.fromEntries(this.functions.all.map((fn) => [fn.definition.id, fn.function])),
      logRetention,
      removalPolicy,
      featurePlan: config.userPoolFeaturePlan === 'plus' ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      consoleIssuer: config.consoleIssuer,
    });

    this.operations = new Operations(this, 'Operations', {
      functions: this.functions.all,
      operatorEmail: config.operatorEmail,
      removalPolicy,
    });
  }
}
