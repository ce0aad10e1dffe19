/**
 * Timers: an EventBridge Scheduler schedule that invokes the request sweeper
 * every minute (deadline warnings, expiry of requests never verified). A
 * missed minute is harmless — the next sweep walks the same due dates — so
 * delivery is retried briefly and then dead-lettered for the operators.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { PipelineFunction } from '../functions/pipeline-function';

/** A scheduled function that cannot be wired. */
export class InvalidTimerError extends Error {
  override name = 'InvalidTimerError' as const;
}

export interface TimersProps {
  /** The sweeper; must be `asyncInvoke` (Scheduler invokes asynchronously) so it has a dead-letter queue. */
  readonly sweeper: PipelineFunction;
}

/** The sweep interval: one minute. */
export const SWEEP_INTERVAL = Duration.minutes(1);

/** Attempts Scheduler makes to deliver one invocation before dead-lettering it. */
export const SWEEP_DELIVERY_RETRIES = 3;

export class Timers extends Construct {
  /**
   * The L1 schedule: the L2 Lambda target also grants `lambda:InvokeFunction`
   * on every version (`<arn>:*`); this role names the function only.
   */
  public readonly sweepSchedule: CfnSchedule;
  /** The role Scheduler assumes: invoke the sweeper, dead-letter to its queue. */
  public readonly role: Role;

  constructor(scope: Construct, id: string, props: TimersProps) {
    super(scope, id);
    const queue = props.sweeper.deadLetterQueue;
    if (queue === undefined) {
      throw new InvalidTimerError(
        `${props.sweeper.definition.id} is scheduled, so its definition must set asyncInvoke (for a dead-letter queue)`,
      );
    }
    const stack = Stack.of(this);
    this.role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'EventBridge Scheduler: invokes the request sweeper',
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [props.sweeper.function.functionArn],
      }),
    );
    // Explicit actions: the L2 queue grant would add kms:GenerateDataKey* and kms:ReEncrypt*.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
      }),
    );
    // The queue is encrypted with the data key; Scheduler writes as this role.
    queue.encryptionMasterKey?.grant(this.role, 'kms:GenerateDataKey', 'kms:Decrypt');
    this.sweepSchedule = new CfnSchedule(this, 'SweepSchedule', {
      description: `Invokes ${props.sweeper.definition.id}: deadline checks and expiry of unverified requests`,
      scheduleExpression: `rate(${SWEEP_INTERVAL.toMinutes()} minute)`,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: props.sweeper.function.functionArn,
        roleArn: this.role.roleArn,
        deadLetterConfig: { arn: queue.queueArn },
        retryPolicy: {
          maximumRetryAttempts: SWEEP_DELIVERY_RETRIES,
          // An invocation older than the next sweep is useless: dead-letter it.
          maximumEventAgeInSeconds: SWEEP_INTERVAL.toSeconds(),
        },
      },
    });
  }
}
