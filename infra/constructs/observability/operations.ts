/**
 * What operators see and are told: an encrypted SNS topic for alarms (with an
 * optional email subscription), an alarm on the errors of every pipeline
 * function and on the depth of every dead-letter queue, an alarm on missed
 * legal deadlines, one on a missing official holiday notice, and a dashboard.
 * Alarms are on by default; later pieces add
 * theirs with `addAlarm`.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmWidget,
  ComparisonOperator,
  type CreateAlarmOptions,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  AUDIT_ANCHOR_FAILED_METRIC,
  CALENDAR_YEAR_MISSING_METRIC,
  DEADLINE_BREACHES_METRIC,
  IDENTITY_HELD_METRIC,
  STUCK_REQUESTS_METRIC,
  VERIFICATION_LOCKED_METRIC,
  WRONG_VERIFICATION_CODE_METRIC,
} from '../../../definitions/metrics';
import type { PipelineFunction } from '../functions/pipeline-function';
import {
  customerManagedKeyProps,
  FUNCTION_ERROR_ALARM,
  METRICS_NAMESPACE,
  SERVICE_NAME,
} from '../secure-defaults';

/** Wrong codes in five minutes that no crowd of typing mistakes reaches. */
const WRONG_CODE_BURST = 50;

export interface OperationsProps {
  /**
   * Functions whose errors (and dead-letter queue depth) raise alarms.
   * @default - none; add more with `monitorFunction`
   */
  readonly functions?: readonly PipelineFunction[];
  /**
   * Email address subscribed to the alarm topic (the subscription must be confirmed).
   * @default - no subscription
   */
  readonly operatorEmail?: string;
  /**
   * Alarm when the `DeadlineBreaches` metric records a missed deadline.
   * @default true
   */
  readonly deadlineBreachAlarm?: boolean;
  /**
   * Alarm while the `CalendarYearMissing` metric says an official holiday notice is due and not imported.
   * @default true
   */
  readonly calendarYearMissingAlarm?: boolean;
  /**
   * Alarm when the `AuditAnchorFailed` metric says the daily audit anchor could not be written.
   * @default true
   */
  readonly auditAnchorAlarm?: boolean;
  /**
   * Alarm when the `StuckRequests` metric says a request's workflow stopped and it needs attention.
   * @default true
   */
  readonly stuckRequestsAlarm?: boolean;
  /**
   * Alarms on code guessing: a burst of `WrongVerificationCode` (50 in 5 minutes, far beyond typing
   * mistakes) and any `VerificationLocked` or `IdentityHeld` within an hour.
   * @default true
   */
  readonly verificationAbuseAlarms?: boolean;
  /**
   * Removal policy of the topic's key.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** An alarm that cannot be added (its id is taken). */
export class InvalidAlarmError extends Error {
  override name = 'InvalidAlarmError' as const;
}

export class Operations extends Construct {
  /** Alarm notifications for operators. */
  public readonly topic: Topic;
  /** Encrypts the topic; CloudWatch may use it to publish alarms. */
  public readonly topicKey: Key;
  public readonly dashboard: Dashboard;
  private readonly alarmsById = new Map<string, Alarm>();

  constructor(scope: Construct, id: string, props: OperationsProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // Build. A key of its own (not the data key): CloudWatch must be allowed to
    // use it, and nothing that can read alarms should be able to read data.
    this.topicKey = new Key(
      this,
      'TopicKey',
      customerManagedKeyProps('DSAR pipeline operator alarms', removalPolicy),
    );
    this.topicKey.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: 'DSAR pipeline alarms',
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    if (props.operatorEmail !== undefined) {
      this.topic.addSubscription(new EmailSubscription(props.operatorEmail));
    }
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(7) });

    // Wire.
    if (props.deadlineBreachAlarm ?? true) {
      this.alarmOnCount(
        'DeadlineBreaches',
        DEADLINE_BREACHES_METRIC,
        'Sum',
        Duration.minutes(5),
        'A data subject request passed its legal reply deadline.',
      );
    }
    if (props.calendarYearMissingAlarm ?? true) {
      // The sweeper emits 1 every minute while the notice is missing: the alarm stays in ALARM until it
      // is imported (one notification), and returns to OK when the metric stops.
      this.alarmOnCount(
        'CalendarYearMissing',
        CALENDAR_YEAR_MISSING_METRIC,
        'Maximum',
        Duration.hours(1),
        "Next year's State Council holiday notice is not imported (npx dsar calendar import, or the console's calendar page): deadlines counted into that year are provisional.",
      );
    }
    if (props.auditAnchorAlarm ?? true) {
      // Every sweep retries a due anchor and emits 1 while it fails: one notification until it is written.
      this.alarmOnCount(
        'AuditAnchorFailed',
        AUDIT_ANCHOR_FAILED_METRIC,
        'Maximum',
        Duration.hours(1),
        "The daily audit anchor could not be written (the sweeper's log says why): trails changed since the last anchor are not anchored until it is.",
      );
    }
    if (props.stuckRequestsAlarm ?? true) {
      this.alarmOnCount(
        'StuckRequests',
        STUCK_REQUESTS_METRIC,
        'Sum',
        Duration.minutes(15),
        "A request's fulfilment workflow stopped (failed, timed out, aborted or never ran): it needs attention. Filter the console queue by 'needs attention', fix the cause, then Run again.",
      );
    }
    if (props.verificationAbuseAlarms ?? true) {
      this.alarmOnCount(
        'WrongVerificationCodes',
        WRONG_VERIFICATION_CODE_METRIC,
        'Sum',
        Duration.minutes(5),
        'Many wrong verification codes: someone may be guessing codes. The subject limits lock each subject after 10; check the VerificationLocked alarm and the console queue.',
        WRONG_CODE_BURST,
      );
      this.alarmOnCount(
        'VerificationLocked',
        VERIFICATION_LOCKED_METRIC,
        'Sum',
        Duration.hours(1),
        "A request's verification locked (five wrong codes, or ten across a subject's requests): an agent checks the requester's identity in the console.",
      );
      this.alarmOnCount(
        'IdentityHeld',
        IDENTITY_HELD_METRIC,
        'Sum',
        Duration.hours(1),
        "A request got no code because its subject is locked or has too many requests waiting: it waits in the console for an agent to check the requester's identity.",
      );
    }
    for (const fn of props.functions ?? []) this.monitorFunction(fn);
  }

  /** An alarm on one of the pipeline's own count metrics (definitions/metrics.ts): one is enough. */
  private alarmOnCount(
    id: string,
    metricName: string,
    statistic: 'Sum' | 'Maximum',
    period: Duration,
    alarmDescription: string,
    threshold = 1,
  ): void {
    const metric = new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: SERVICE_NAME },
      statistic,
      period,
    });
    this.addAlarm(id, metric, { alarmDescription, threshold, evaluationPeriods: 1 });
  }

  /** Every alarm, in the order added. */
  public get alarms(): readonly Alarm[] {
    return [...this.alarmsById.values()];
  }

  /**
   * Adds an alarm that notifies the operators' topic and appears on the dashboard.
   * Missing data counts as "not breaching" unless the options say otherwise.
   */
  public addAlarm(id: string, metric: IMetric, options: CreateAlarmOptions): Alarm {
    if (this.alarmsById.has(id)) throw new InvalidAlarmError(`An alarm with id '${id}' already exists`);
    const alarm = new Alarm(this, `${id}Alarm`, {
      metric,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      ...options,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarmsById.set(id, alarm);
    this.dashboard.addWidgets(new AlarmWidget({ title: id, alarm, width: 12 }));
    return alarm;
  }

  /** Alarms on a function's errors, and on its dead-letter queue if it has one. */
  public monitorFunction(fn: PipelineFunction): void {
    const id = fn.definition.id;
    this.addAlarm(
      `${id}Errors`,
      fn.function.metricErrors({ period: FUNCTION_ERROR_ALARM.period, statistic: 'Sum' }),
      {
        alarmDescription: `${id} failed an invocation.`,
        threshold: FUNCTION_ERROR_ALARM.threshold,
        evaluationPeriods: FUNCTION_ERROR_ALARM.evaluationPeriods,
      },
    );
    if (fn.deadLetterQueue !== undefined) {
      this.addAlarm(
        `${id}DeadLetters`,
        fn.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: FUNCTION_ERROR_ALARM.period,
          statistic: 'Maximum',
        }),
        {
          alarmDescription: `Events for ${id} failed every retry and wait in its dead-letter queue.`,
          threshold: 1,
          evaluationPeriods: 1,
        },
      );
    }
    this.dashboard.addWidgets(
      new GraphWidget({
        title: `${id} invocations`,
        width: 12,
        left: [fn.function.metricInvocations(), fn.function.metricErrors(), fn.function.metricThrottles()],
        right: [fn.function.metricDuration({ statistic: 'p99' })],
      }),
    );
  }
}
