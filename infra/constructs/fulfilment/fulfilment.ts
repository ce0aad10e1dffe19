/**
 * The fulfilment workflow on AWS: a Standard state machine built from the same
 * ASL file that local mode interprets (`statemachines/fulfilment.asl.json`),
 * its Lambda tasks resolved from the pipeline functions, logging to an
 * encrypted log group without execution data, traced, and allowed to invoke
 * exactly its task functions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { PipelineFunction } from '../functions/pipeline-function';
import { REPOSITORY_ROOT } from '../functions/pipeline-function';
import { acknowledgeFindings } from '../nag';
import { customerManagedKeyProps, DEFAULT_LOG_RETENTION } from '../secure-defaults';

/** The fulfilment workflow, repository-relative: the same file runs locally. */
export const FULFILMENT_ASL_FILE = 'statemachines/fulfilment.asl.json';

/** Environment variable that tells `startsFulfilment` functions which state machine to start. */
export const STATE_MACHINE_ARN_VARIABLE = 'FULFILMENT_STATE_MACHINE_ARN';

const TASK_PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)FunctionArn\}/g;

/** A state machine definition naming a function the stack does not build, or a wiring that cannot deploy. */
export class InvalidFulfilmentError extends Error {
  override name = 'InvalidFulfilmentError' as const;
}

/** The function ids of every `${<Id>FunctionArn}` placeholder in an ASL document, in order of appearance. */
export function taskFunctionIds(aslText: string): string[] {
  return [...new Set([...aslText.matchAll(TASK_PLACEHOLDER)].map((match) => match[1] as string))];
}

export interface FulfilmentProps {
  /** Pipeline functions by definition id; must contain every task of the ASL file. */
  readonly functions: Readonly<Record<string, PipelineFunction>>;
  /**
   * The ASL file, absolute or relative to `projectRoot`.
   * @default FULFILMENT_ASL_FILE
   */
  readonly definitionFile?: string;
  /** @default the repository root */
  readonly projectRoot?: string;
  /** @default RetentionDays.ONE_YEAR */
  readonly logRetention?: RetentionDays;
  /** Removal policy of the log group and its key. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export class Fulfilment extends Construct {
  public readonly stateMachine: StateMachine;
  public readonly logGroup: LogGroup;
  /** Encrypts the execution history log group. */
  public readonly logKey: Key;
  /** The functions of the state machine's Lambda tasks, by id. */
  public readonly taskFunctions: readonly PipelineFunction[];

  constructor(scope: Construct, id: string, props: FulfilmentProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const definitionPath = join(
      props.projectRoot ?? REPOSITORY_ROOT,
      props.definitionFile ?? FULFILMENT_ASL_FILE,
    );

    // Validate: every task placeholder names a function the stack builds.
    const taskIds = taskFunctionIds(readFileSync(definitionPath, 'utf8'));
    const missing = taskIds.filter((taskId) => !Object.hasOwn(props.functions, taskId));
    if (missing.length > 0) {
      throw new InvalidFulfilmentError(
        `${definitionPath} has Lambda tasks with no function definition: ${missing.join(', ')} (add them to PIPELINE_FUNCTIONS)`,
      );
    }
    this.taskFunctions = taskIds.map((taskId) => props.functions[taskId] as PipelineFunction);
    for (const fn of this.taskFunctions) {
      if (fn.definition.startsFulfilment === true) {
        throw new InvalidFulfilmentError(
          `${fn.definition.id} is a task of the fulfilment state machine and cannot also start it (a circular dependency)`,
        );
      }
    }

    // Build. The logs key is separate from the data key: reading execution
    // history must not imply reading the data, and CloudWatch Logs may use it.
    this.logKey = new Key(
      this,
      'LogKey',
      customerManagedKeyProps('DSAR pipeline fulfilment logs', removalPolicy),
    );
    this.logGroup = new LogGroup(this, 'LogGroup', {
      encryptionKey: this.logKey,
      retention: props.logRetention ?? DEFAULT_LOG_RETENTION,
      removalPolicy,
    });
    // CloudWatch Logs uses the key as its regional service principal (`.com.cn` in China).
    const stack = Stack.of(this);
    this.logKey.grantEncryptDecrypt(new ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`));
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(definitionPath),
      definitionSubstitutions: Object.fromEntries(
        this.taskFunctions.map((fn) => [`${fn.definition.id}FunctionArn`, fn.function.functionArn]),
      ),
      // Execution inputs carry only request ids, but task outputs can carry
      // store results; the history in the console is enough for operators.
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });

    // Wire: the role may invoke exactly the task functions (no version wildcards).
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: this.taskFunctions.map((fn) => fn.function.functionArn),
      }),
    );
    acknowledgeFindings(this.stateMachine.role, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Step Functions logging (logs:CreateLogDelivery and the other log-delivery actions) and X-Ray tracing support no resource-level permissions.',
      },
    ]);
  }

  /** Lets a function start executions and tells it which state machine to start. */
  public allowStart(fn: PipelineFunction): void {
    this.stateMachine.grantStartExecution(fn.role);
    fn.function.addEnvironment(STATE_MACHINE_ARN_VARIABLE, this.stateMachine.stateMachineArn);
  }

  /**
   * Lets a function read how the state machine's executions stand (DescribeExecution, nothing
   * else: not their history, which holds task outputs) and tells it which state machine.
   */
  public allowWatch(fn: PipelineFunction): void {
    const stack = Stack.of(this);
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['states:DescribeExecution'],
        resources: [
          stack.formatArn({
            service: 'states',
            resource: 'execution',
            resourceName: `${this.stateMachine.stateMachineName}:*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    fn.function.addEnvironment(STATE_MACHINE_ARN_VARIABLE, this.stateMachine.stateMachineArn);
    acknowledgeFindings(fn.role, [
      {
        // As cdk-nag prints the ARN: the state machine's name as a reference to its logical id.
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${stack.getLogicalId(this.stateMachine.node.defaultChild as CfnElement)}.Name>:*]`,
        reason:
          "Executions are named after requests, so their ARNs are not known at deploy time; the grant is DescribeExecution on this state machine's executions only.",
      },
    ]);
  }

  /** Executions that ended in failure (not timed out or aborted), per five minutes. */
  public metricExecutionsFailed(): IMetric {
    return this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' });
  }
}
