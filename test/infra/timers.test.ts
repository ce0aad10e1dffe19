import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionDefinition, SWEEP_REQUESTS } from '../../definitions/functions';
import { PipelineData } from '../../infra/constructs/data/pipeline-data';
import { PipelineFunctions } from '../../infra/constructs/functions/pipeline-functions';
import { InvalidTimerError, SWEEP_DELIVERY_RETRIES, Timers } from '../../infra/constructs/timers/timers';
import type { PipelineApp } from '../../infra/pipeline-app';
import { AUDIT_WRITER, FIXTURE_FUNCTIONS } from '../fixtures/infra/definitions';
import { pipelineApp, testStack } from './support/cdk';

type Statement = { Action: string | string[]; Resource: unknown };
type Resource = { Type: string; Properties: Record<string, unknown> };

const SWEEPER: FunctionDefinition = { ...SWEEP_REQUESTS, entry: 'test/fixtures/infra/echo-handler.ts' };

describe('Timers', () => {
  let built: PipelineApp;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    built = pipelineApp({}, { functions: [...FIXTURE_FUNCTIONS, SWEEPER] });
    resources = Template.fromStack(built.stack).toJSON().Resources;
  });

  const logicalId = (construct: IConstruct) =>
    built.stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);

  it('invokes the sweeper every minute, retrying briefly and then dead-lettering', () => {
    const schedule = resources[logicalId(built.stack.timers!.sweepSchedule)]!.Properties;
    const sweeper = built.stack.functions.get(SWEEP_REQUESTS.id)!;
    expect(schedule.ScheduleExpression).toBe('rate(1 minute)');
    expect(schedule.State).toBe('ENABLED');
    expect(schedule.Target).toMatchObject({
      Arn: { 'Fn::GetAtt': [logicalId(sweeper.function), 'Arn'] },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(sweeper.deadLetterQueue!), 'Arn'] } },
      RetryPolicy: { MaximumRetryAttempts: SWEEP_DELIVERY_RETRIES, MaximumEventAgeInSeconds: 60 },
    });
  });

  it("lets the scheduler's role invoke the sweeper and dead-letter, nothing else", () => {
    const roleId = logicalId(built.stack.timers!.role);
    const actions = Object.values(resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          (resource.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
      )
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .flatMap((statement) => [statement.Action].flat());
    expect([...new Set(actions)].sort()).toEqual(
      ['kms:Decrypt', 'kms:GenerateDataKey', 'lambda:InvokeFunction', 'sqs:SendMessage'].sort(),
    );
  });

  it('passes the AWS Solutions checks', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(built.stack);
    expect(
      report.violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
      ),
    ).toEqual([]);
  });

  it('refuses to schedule a function without a dead-letter queue', () => {
    const stack = testStack();
    const data = new PipelineData(stack, 'Data');
    const functions = new PipelineFunctions(stack, 'Functions', {
      definitions: [AUDIT_WRITER],
      tables: data.tables,
      buckets: data.buckets,
    });
    expect(() => new Timers(stack, 'Timers', { sweeper: functions.get(AUDIT_WRITER.id)! })).toThrow(
      InvalidTimerError,
    );
  });
});

describe('Timers mail', () => {
  let resources: Record<string, Resource>;
  let functionId: string;

  beforeAll(() => {
    const built = pipelineApp(
      {
        senderAddress: 'privacy@example.com',
        consoleTeamAddress: 'privacy-team@example.com',
        consoleSupervisorsAddress: 'privacy-supervisors@example.com',
      },
      { functions: [...FIXTURE_FUNCTIONS, SWEEPER] },
    );
    const sweeper = built.stack.functions.get(SWEEP_REQUESTS.id)!;
    functionId = built.stack.getLogicalId(sweeper.function.node.defaultChild as CfnElement);
    resources = Template.fromStack(built.stack).toJSON().Resources;
  });

  it("gives the sweeper the team's and supervisors' addresses for reminders and breach alerts", () => {
    const variables = (
      resources[functionId]!.Properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(variables).toMatchObject({
      SENDER_ADDRESS: 'privacy@example.com',
      CONSOLE_TEAM_ADDRESS: 'privacy-team@example.com',
      CONSOLE_SUPERVISORS_ADDRESS: 'privacy-supervisors@example.com',
    });
  });

  it('lets the sweeper send mail', () => {
    const roleRef = (resources[functionId]!.Properties.Role as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];
    const actions = Object.values(resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          (resource.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleRef),
      )
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .flatMap((statement) => [statement.Action].flat());
    expect(actions.some((action) => action.startsWith('ses:Send'))).toBe(true);
  });
});
