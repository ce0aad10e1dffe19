/**
 * One pipeline Lambda function, built from its shared `FunctionDefinition`:
 * bundled by esbuild on this machine, Node.js 22 on Graviton, traced, with its
 * own log group, and with exactly the table and bucket access the definition
 * declares — its least-privilege policy sits here, next to it.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type CfnFunction, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  AUDIT_TRAIL_KEY_VARIABLE,
  type BucketAccess,
  type FunctionDefinition,
  type TableAccess,
  writesAuditTrail,
} from '../../../definitions/functions';
import type { TableDefinition } from '../../../definitions/tables';
import { acknowledgeFindings, type NagFinding } from '../nag';
import {
  DEAD_LETTER_RETENTION,
  DEFAULT_FUNCTION_MEMORY_MB,
  DEFAULT_FUNCTION_TIMEOUT_SECONDS,
  DEFAULT_LOG_RETENTION,
  FUNCTION_BUNDLING,
  LAMBDA_ARCHITECTURE,
  LAMBDA_RUNTIME,
  METRICS_NAMESPACE,
  SERVICE_NAME,
} from '../secure-defaults';

/** The repository root: `FunctionDefinition.entry` paths are relative to it. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type PowertoolsLogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface PipelineFunctionProps {
  /** What to build: entry, handler, limits and declared data access. */
  readonly definition: FunctionDefinition;
  /** Tables by `TableDefinition.id`; must contain every table the definition declares. */
  readonly tables: Readonly<Record<string, ITable>>;
  /** Buckets by `BucketDefinition.id`; must contain every bucket the definition declares. */
  readonly buckets: Readonly<Record<string, IBucket>>;
  /**
   * Environment shared by every function (e.g. the policy id). Names must not
   * collide with the definition's table and bucket variables.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Key encrypting the dead-letter queue of an asynchronously invoked function
   * (failed events may carry request details).
   * @default - SQS-managed encryption
   */
  readonly deadLetterQueueKey?: IKey;
  /**
   * Retention of the function's log group.
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: RetentionDays;
  /**
   * Powertools log level.
   * @default 'INFO'
   */
  readonly logLevel?: PowertoolsLogLevel;
  /**
   * Removal policy of the log group and dead-letter queue.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Directory that `definition.entry` is relative to, holding `package-lock.json`.
   * @default the repository root
   */
  readonly projectRoot?: string;
  /**
   * Absolute path of the data-store registry bundled wherever a function imports
   * `dsar-store-registry` (adapters/config/store-registry.ts): the file the
   * stack also derives the store grants from.
   * @default `<projectRoot>/config/data-stores.demo.json`
   */
  readonly storeRegistryFile?: string;
  /**
   * The audit trail's KMS HMAC key: a function that appends audit events may make MACs with it
   * (kms:GenerateMac), one that `verifiesAuditTrail` may check them (kms:VerifyMac); both get its ARN
   * in AUDIT_TRAIL_KEY_ID. No function may export or otherwise use it.
   * @default - none (a function that writes events then fails at its first write)
   */
  readonly auditTrailKey?: IKey;
}

/** The bare specifier adapters/config/store-registry.ts imports the registry by. */
export const STORE_REGISTRY_SPECIFIER = 'dsar-store-registry';

/** A function definition that cannot be built (unknown table or bucket, clashing variables). */
export class InvalidFunctionDefinitionError extends Error {
  override name = 'InvalidFunctionDefinitionError' as const;
}

export class PipelineFunction extends Construct {
  public readonly definition: FunctionDefinition;
  public readonly function: NodejsFunction;
  /** The execution role: only the statements below, no managed policies. */
  public readonly role: Role;
  public readonly logGroup: LogGroup;
  /** Present only when the definition is invoked asynchronously (`asyncInvoke`). */
  public readonly deadLetterQueue?: Queue;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const { definition } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // Validate: every declared table and bucket exists, every variable is set once.
    const tableGrants = definition.tables.map(({ table, access }) => ({
      definition: table,
      access,
      table: lookUp(props.tables, table.id, `${definition.id} declares table '${table.id}'`),
    }));
    const bucketGrants = definition.buckets.map(({ bucket, access }) => ({
      definition: bucket,
      access,
      bucket: lookUp(props.buckets, bucket.id, `${definition.id} declares bucket '${bucket.id}'`),
    }));
    const environment: Record<string, string> = {
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    };
    const setVariable = (name: string, value: string) => {
      if (name in environment) {
        throw new InvalidFunctionDefinitionError(`${definition.id} sets environment variable ${name} twice`);
      }
      environment[name] = value;
    };
    for (const [name, value] of Object.entries(props.environment ?? {})) setVariable(name, value);
    for (const grant of tableGrants) setVariable(grant.definition.envVar, grant.table.tableName);
    for (const grant of bucketGrants) setVariable(grant.definition.envVar, grant.bucket.bucketName);
    const trailKeyActions = [
      ...(writesAuditTrail(definition) ? ['kms:GenerateMac'] : []),
      ...(definition.verifiesAuditTrail === true ? ['kms:VerifyMac'] : []),
    ];
    if (props.auditTrailKey !== undefined && trailKeyActions.length > 0) {
      setVariable(AUDIT_TRAIL_KEY_VARIABLE, props.auditTrailKey.keyArn);
    }

    // Build.
    this.definition = definition;
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? DEFAULT_LOG_RETENTION,
      removalPolicy,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${definition.id}: ${definition.description}`.slice(0, 1000),
    });
    if (definition.asyncInvoke === true) {
      this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
        retentionPeriod: DEAD_LETTER_RETENTION,
        enforceSSL: true,
        ...(props.deadLetterQueueKey === undefined
          ? { encryption: QueueEncryption.SQS_MANAGED }
          : { encryption: QueueEncryption.KMS, encryptionMasterKey: props.deadLetterQueueKey }),
        removalPolicy,
      });
    }
    const projectRoot = props.projectRoot ?? REPOSITORY_ROOT;
    this.function = new NodejsFunction(this, 'Function', {
      entry: join(projectRoot, definition.entry),
      handler: definition.handler,
      description: definition.description,
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: LAMBDA_RUNTIME,
      architecture: LAMBDA_ARCHITECTURE,
      timeout: Duration.seconds(definition.timeoutSeconds ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS),
      memorySize: definition.memoryMb ?? DEFAULT_FUNCTION_MEMORY_MB,
      role: this.role,
      logGroup: this.logGroup,
      environment,
      deadLetterQueue: this.deadLetterQueue,
      bundling: {
        ...FUNCTION_BUNDLING,
        // Every bundle gets the alias; only those that import the registry are affected by it.
        esbuildArgs: {
          '--alias': [
            `${STORE_REGISTRY_SPECIFIER}=${props.storeRegistryFile ?? join(projectRoot, 'config', 'data-stores.demo.json')}`,
          ],
        },
      },
    });

    // Wire: tracing, logs, dead letters, then exactly the declared data access.
    this.enableTracing();
    this.logGroup.grantWrite(this.role);
    this.deadLetterQueue?.grantSendMessages(this.role);
    for (const grant of tableGrants) this.grantTable(grant.table, grant.access);
    for (const grant of bucketGrants) grantBucket(grant.bucket, grant.access, this.role);
    if (props.auditTrailKey !== undefined && trailKeyActions.length > 0) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: trailKeyActions,
          resources: [props.auditTrailKey.keyArn],
        }),
      );
    }
    this.acknowledgeExpectedFindings(tableGrants, bucketGrants);
  }

  /**
   * Active X-Ray tracing. The L2 `tracing` prop would put the X-Ray statement
   * (which must use `Resource: *`) into the role's default policy, where
   * acknowledging it would also hide any other `*` added later. In a policy of
   * its own, the acknowledgement covers X-Ray and nothing else.
   */
  private enableTracing(): void {
    (this.function.node.defaultChild as CfnFunction).tracingConfig = { mode: Tracing.ACTIVE };
    const tracingPolicy = new Policy(this, 'TracingPolicy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
      ],
    });
    acknowledgeFindings(tracingPolicy, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions.',
      },
    ]);
  }

  private grantTable(table: ITable, access: TableAccess): void {
    switch (access) {
      case 'read':
        table.grantReadData(this.role);
        return;
      case 'write':
        table.grantWriteData(this.role);
        return;
      case 'read-write':
        table.grantReadWriteData(this.role);
        return;
      case 'append-only':
        this.grantAppendOnly(table);
        return;
      case 'read-append':
        table.grantReadData(this.role);
        this.grantAppendOnly(table);
        return;
    }
  }

  /**
   * PutItem and nothing else: no UpdateItem, DeleteItem or BatchWriteItem, so
   * the audit trail cannot be rewritten by IAM, whatever the handler's code does.
   * The KMS statement lets DynamoDB use the table key on this role's behalf, and
   * only through DynamoDB.
   */
  private grantAppendOnly(table: ITable): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
      }),
    );
    if (table.encryptionKey !== undefined) {
      const stack = Stack.of(this);
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
          resources: [table.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.${stack.urlSuffix}` } },
        }),
      );
    }
  }

  /**
   * The L2 grants use action groups (`s3:GetObject*`, `kms:GenerateDataKey*`) and
   * object or index wildcards under a declared resource; cdk-nag reports each.
   * They are acknowledged here, one finding at a time, so that any other
   * wildcard in this role's policy still fails the check.
   */
  private acknowledgeExpectedFindings(
    tableGrants: readonly {
      readonly definition: TableDefinition;
      readonly table: ITable;
      readonly access: TableAccess;
    }[],
    bucketGrants: readonly { readonly bucket: IBucket; readonly access: BucketAccess }[],
  ): void {
    acknowledgeFindings(this.function, [
      {
        id: 'AwsSolutions-L1',
        reason:
          'The runtime is pinned to Node.js 22 (secure-defaults.ts), the version the handlers are built and tested for; moving to a newer runtime is a deliberate, tested change.',
      },
    ]);
    const findings: NagFinding[] = [];
    const usesKeyActionGroups =
      tableGrants.some(({ access }) => access === 'write' || access === 'read-write') ||
      bucketGrants.some(({ access }) => access !== 'read') ||
      (this.deadLetterQueue !== undefined && this.deadLetterQueue.encryptionMasterKey !== undefined);
    if (usesKeyActionGroups) {
      for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
        findings.push({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `${action} comes from the L2 encrypt grant and is limited to the pipeline's data key, which encrypts the declared tables, buckets and queues.`,
        });
      }
    }
    for (const { definition, table, access } of tableGrants) {
      if (access === 'append-only' || definition.globalSecondaryIndexes.length === 0) continue;
      findings.push({
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(table)}.Arn>/index/*]`,
        reason: `The L2 ${access} grant covers the global secondary indexes of a table this function declares (definitions/tables.ts).`,
      });
    }
    for (const { bucket, access } of bucketGrants) {
      findings.push({
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/*]`,
        reason: `The L2 ${access} grant is on the objects of a bucket this function declares (definitions/buckets.ts); object keys are not known at deploy time.`,
      });
      for (const action of BUCKET_ACTION_GROUPS[access]) {
        findings.push({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `${action} is an action group of the L2 bucket ${access} grant, limited to a bucket this function declares.`,
        });
      }
    }
    acknowledgeFindings(this.role, findings);
  }
}

/** The wildcard action groups each L2 bucket grant adds (aws-s3 perms). */
const BUCKET_ACTION_GROUPS: Readonly<Record<BucketAccess, readonly string[]>> = {
  read: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
  write: ['s3:DeleteObject*', 's3:Abort*'],
  'read-write': ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'],
  'read-put': ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:Abort*'],
};

function grantBucket(bucket: IBucket, access: BucketAccess, role: Role): void {
  switch (access) {
    case 'read':
      bucket.grantRead(role);
      return;
    case 'write':
      bucket.grantWrite(role);
      return;
    case 'read-write':
      bucket.grantReadWrite(role);
      return;
    case 'read-put':
      bucket.grantRead(role);
      bucket.grantPut(role);
      return;
  }
}

function lookUp<T>(map: Readonly<Record<string, T>>, key: string, what: string): T {
  const value = Object.hasOwn(map, key) ? map[key] : undefined;
  if (value === undefined)
    throw new InvalidFunctionDefinitionError(`${what}, which the stack does not declare`);
  return value;
}

/** The logical id cdk-nag prints for a resource declared in this app. */
function logicalIdOf(resource: Construct): string {
  const child = resource.node.defaultChild;
  if (child === undefined) return resource.node.id;
  return Stack.of(child).resolve((child as unknown as { logicalId: string }).logicalId) as string;
}
