import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { PipelineData } from '../../infra/constructs/data/pipeline-data';
import { PipelineFunctions } from '../../infra/constructs/functions/pipeline-functions';
import { InvalidAlarmError, Operations } from '../../infra/constructs/observability/operations';
import { AUDIT_WRITER, MAIL_PARSER } from '../fixtures/infra/definitions';
import { testStack } from './support/cdk';

type Resource = { Type: string; Properties: Record<string, unknown> };

describe('Operations', () => {
  let stack: Stack;
  let functions: PipelineFunctions;
  let operations: Operations;
  let template: Template;
  let alarms: Resource[];

  beforeAll(() => {
    stack = testStack();
    const data = new PipelineData(stack, 'Data');
    functions = new PipelineFunctions(stack, 'Functions', {
      definitions: [AUDIT_WRITER, MAIL_PARSER],
      tables: data.tables,
      buckets: data.buckets,
    });
    operations = new Operations(stack, 'Operations', {
      functions: functions.all,
      operatorEmail: 'privacy-ops@example.com',
    });
    operations.addAlarm(
      'StateMachineFailures',
      new Metric({ namespace: 'AWS/States', metricName: 'ExecutionsFailed', statistic: 'Sum' }),
      { threshold: 1, evaluationPeriods: 1, alarmDescription: 'A fulfilment run failed.' },
    );
    template = Template.fromStack(stack);
    alarms = Object.values(template.toJSON().Resources as Record<string, Resource>).filter(
      (resource) => resource.Type === 'AWS::CloudWatch::Alarm',
    );
  });

  const topicRef = () => ({ Ref: stack.getLogicalId(operations.topic.node.defaultChild as CfnElement) });

  it('encrypts the operators topic with a rotating customer-managed key', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: {
        'Fn::GetAtt': [stack.getLogicalId(operations.topicKey.node.defaultChild as CfnElement), 'Arn'],
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'DSAR pipeline operator alarms',
      EnableKeyRotation: true,
    });
  });

  it('lets CloudWatch alarms publish to the encrypted topic', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: 'DSAR pipeline operator alarms',
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Principal: { Service: 'cloudwatch.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('refuses to publish to the topic without TLS', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribes the operator email address', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'privacy-ops@example.com',
      TopicArn: topicRef(),
    });
  });

  it.each([AUDIT_WRITER, MAIL_PARSER].map((definition) => [definition.id] as const))(
    'alarms on errors of %s',
    (id) => {
      const fnRef = { Ref: stack.getLogicalId(functions.get(id)!.function.node.defaultChild as CfnElement) };
      expect(alarms).toContainEqual(
        expect.objectContaining({
          Properties: expect.objectContaining({
            Namespace: 'AWS/Lambda',
            MetricName: 'Errors',
            Dimensions: [{ Name: 'FunctionName', Value: fnRef }],
            Threshold: 1,
            AlarmActions: [topicRef()],
          }),
        }),
      );
    },
  );

  it('alarms on dead letters only for functions that have a dead-letter queue', () => {
    const dlqAlarms = alarms.filter(
      (alarm) => alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible',
    );
    expect(dlqAlarms).toHaveLength(1);
    expect(dlqAlarms[0]?.Properties.AlarmDescription).toContain(MAIL_PARSER.id);
  });

  it('alarms when a request passes its legal deadline', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'DsarPipeline',
      MetricName: 'DeadlineBreaches',
      Dimensions: [{ Name: 'service', Value: 'dsar-pipeline' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef()],
    });
  });

  it("alarms while next year's official holiday notice is missing", () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'DsarPipeline',
      MetricName: 'CalendarYearMissing',
      Dimensions: [{ Name: 'service', Value: 'dsar-pipeline' }],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef()],
    });
  });

  it('alarms when the daily audit anchor could not be written', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuditAnchorFailed',
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 1,
      AlarmActions: [topicRef()],
    });
  });

  it('alarms when a request is stuck (its workflow stopped)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'DsarPipeline',
      MetricName: 'StuckRequests',
      Dimensions: [{ Name: 'service', Value: 'dsar-pipeline' }],
      Statistic: 'Sum',
      Period: 900,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef()],
    });
  });

  it.each([
    ['WrongVerificationCode', 300, 50],
    ['VerificationLocked', 3600, 1],
    ['IdentityHeld', 3600, 1],
  ])('alarms on code guessing: %s', (metricName, period, threshold) => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'DsarPipeline',
      MetricName: metricName,
      Dimensions: [{ Name: 'service', Value: 'dsar-pipeline' }],
      Statistic: 'Sum',
      Period: period,
      Threshold: threshold,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicRef()],
    });
  });

  it('leaves out the missing-notice alarm when asked to', () => {
    const otherStack = testStack();
    new Operations(otherStack, 'Operations', { calendarYearMissingAlarm: false });
    const names = Object.values(Template.fromStack(otherStack).findResources('AWS::CloudWatch::Alarm')).map(
      (alarm) => (alarm as Resource).Properties.MetricName,
    );
    expect(names).toContain('DeadlineBreaches');
    expect(names).not.toContain('CalendarYearMissing');
  });

  it('notifies operators of alarms added later, and shows every alarm on the dashboard', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed',
      AlarmActions: [topicRef()],
    });
    expect(operations.alarms).toHaveLength(alarms.length);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(
      Object.values(template.toJSON().Resources as Record<string, Resource>).find(
        (resource) => resource.Type === 'AWS::CloudWatch::Dashboard',
      )?.Properties.DashboardBody ?? '',
    );
    for (const alarm of operations.alarms) {
      expect(body).toContain(stack.getLogicalId(alarm.node.defaultChild as CfnElement));
    }
  });

  it('refuses a second alarm with the same id', () => {
    const metric = new Metric({ namespace: 'DsarPipeline', metricName: 'Anything' });
    expect(() =>
      operations.addAlarm('DeadlineBreaches', metric, { threshold: 1, evaluationPeriods: 1 }),
    ).toThrow(InvalidAlarmError);
  });

  it('creates no subscription when no operator email is configured', () => {
    const otherStack = testStack();
    new Operations(otherStack, 'Operations');
    Template.fromStack(otherStack).resourceCountIs('AWS::SNS::Subscription', 0);
  });
});
