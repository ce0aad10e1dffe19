/**
 * The DSAR pipeline stack: data, functions, API and operations, composed from
 * the deployment configuration and the shared definitions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { FeaturePlan } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import type { PipelineConfig } from './config';
import { IntakeApi } from './constructs/api/intake-api';
import { PipelineData } from './constructs/data/pipeline-data';
import { FULFILMENT_ASL_FILE, Fulfilment, taskFunctionIds } from './constructs/fulfilment/fulfilment';
import { grantRegisteredStores, readStoreRegistry } from './constructs/fulfilment/store-grants';
import { REPOSITORY_ROOT } from './constructs/functions/pipeline-function';
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
  /** The fulfilment state machine; absent when no deployed function belongs to it. */
  public readonly fulfilment?: Fulfilment;

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

    // Fulfilment: built when any function is one of its tasks or starts it
    // (a stack of fixture functions has none); then every task must exist.
    const root = projectRoot ?? REPOSITORY_ROOT;
    const taskIds = taskFunctionIds(readFileSync(join(root, FULFILMENT_ASL_FILE), 'utf8'));
    const needsFulfilment = this.functions.all.some(
      (fn) => taskIds.includes(fn.definition.id) || fn.definition.startsFulfilment === true,
    );
    if (needsFulfilment) {
      const fulfilment = new Fulfilment(this, 'Fulfilment', {
        functions: this.functions.functions,
        projectRoot: root,
        logRetention,
        removalPolicy,
      });
      for (const fn of this.functions.all) {
        if (fn.definition.startsFulfilment === true) fulfilment.allowStart(fn);
      }
      this.fulfilment = fulfilment;
    }
    const storeUsers = this.functions.all.filter((fn) => fn.definition.registeredStores !== undefined);
    if (storeUsers.length > 0) {
      const registry = readStoreRegistry(join(root, config.storeRegistryFile));
      for (const fn of storeUsers) grantRegisteredStores(fn.role, registry, fn.definition.registeredStores!);
    }

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
    if (this.fulfilment !== undefined) {
      this.operations.addAlarm('FulfilmentFailed', this.fulfilment.metricExecutionsFailed(), {
        alarmDescription: 'A fulfilment execution failed: a verified request is stuck until it is restarted.',
        threshold: 1,
        evaluationPeriods: 1,
      });
    }
  }
}
