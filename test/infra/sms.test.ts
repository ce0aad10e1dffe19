/**
 * SMS for the functions that send one-time codes (`sendsSms`): SNS Publish granted to them only, in a
 * policy of its own whose acknowledged `*` covers nothing else; or, where SNS sends no SMS (the China
 * regions), an HTTPS gateway whose token secret they alone may read.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { SMS_VARIABLES as ADAPTER_SMS_VARIABLES } from '../../adapters/aws/sms';
import type { FunctionDefinition } from '../../definitions/functions';
import { parsePipelineConfig } from '../../infra/config';
import type { PipelineApp } from '../../infra/pipeline-app';
import { SMS_VARIABLES } from '../../infra/stack';
import { AUDIT_WRITER, FIXTURE_FUNCTIONS, INTAKE } from '../fixtures/infra/definitions';
import { pipelineApp } from './support/cdk';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
type Resource = { Type: string; Properties: Record<string, unknown> };

const SMS_SENDER: FunctionDefinition = {
  ...AUDIT_WRITER,
  id: 'SmsSender',
  description: 'Fixture: sends one-time codes by SMS',
  sendsSms: true,
};

const GATEWAY_SECRET_ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:dsar/sms-gateway-AbC123';

function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
}

function inspect(built: PipelineApp) {
  const resources = Template.fromStack(built.stack).toJSON().Resources as Record<string, Resource>;
  const logicalId = (construct: IConstruct) =>
    built.stack.getLogicalId(construct.node.defaultChild as CfnElement);
  return {
    variablesOf: (functionId: string) =>
      (
        resources[logicalId(built.stack.functions.get(functionId)!.function)]!.Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables,
    statementsOf: (functionId: string): Statement[] => {
      const roleId = logicalId(built.stack.functions.get(functionId)!.role);
      return Object.values(resources)
        .filter(
          (resource) =>
            resource.Type === 'AWS::IAM::Policy' &&
            (resource.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
        )
        .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    },
  };
}

const publishes = (statements: Statement[]) =>
  statements.filter((statement) => [statement.Action].flat().some((action) => action.startsWith('sns:')));

describe('SMS through Amazon SNS', () => {
  const built = pipelineApp({ smsProvider: 'sns' }, { functions: [...FIXTURE_FUNCTIONS, SMS_SENDER] });
  const { variablesOf, statementsOf } = inspect(built);

  it('names the variables the SMS adapter reads', () => {
    expect(SMS_VARIABLES).toEqual(ADAPTER_SMS_VARIABLES);
  });

  it('lets a sendsSms function publish SMS in the stack region only', () => {
    expect(variablesOf(SMS_SENDER.id)).toMatchObject({ SMS_PROVIDER: 'sns' });
    const grants = publishes(statementsOf(SMS_SENDER.id));
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({
      Action: 'sns:Publish',
      Resource: '*',
      Condition: { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
    });
  });

  it('lets no other function publish, nor tells it of SMS', () => {
    expect(publishes(statementsOf(INTAKE.id))).toEqual([]);
    expect(variablesOf(INTAKE.id)).not.toHaveProperty('SMS_PROVIDER');
  });

  it('passes the AWS Solutions checks, the * acknowledged on the SMS policy alone', () => {
    expect(nagFindings(built.stack)).toEqual([]);
  });
});

describe('SMS through an HTTPS gateway (the China regions)', () => {
  const built = pipelineApp(
    {
      region: 'cn-north-1',
      consoleIssuer: { issuerUrl: 'https://login.example.cn/oidc', audience: ['dsar-console'] },
      userPoolFeaturePlan: 'essentials',
      smsProvider: 'http',
      smsHttp: { url: 'https://sms.example.cn/send', secretArn: GATEWAY_SECRET_ARN },
    },
    { functions: [...FIXTURE_FUNCTIONS, SMS_SENDER] },
  );
  const { variablesOf, statementsOf } = inspect(built);

  it('gives a sendsSms function the gateway URL and read access to its token, and no SNS', () => {
    expect(variablesOf(SMS_SENDER.id)).toMatchObject({
      SMS_PROVIDER: 'http',
      SMS_HTTP_URL: 'https://sms.example.cn/send',
      SMS_HTTP_SECRET_ARN: GATEWAY_SECRET_ARN,
    });
    expect(statementsOf(SMS_SENDER.id)).toContainEqual(
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: GATEWAY_SECRET_ARN }),
    );
    expect(publishes(statementsOf(SMS_SENDER.id))).toEqual([]);
    expect(JSON.stringify(statementsOf(INTAKE.id))).not.toContain('sms-gateway');
  });

  it('passes the AWS Solutions checks', () => {
    expect(nagFindings(built.stack)).toEqual([]);
  });
});

describe('SMS configuration', () => {
  it('defaults to no SMS', () => {
    expect(parsePipelineConfig({}).smsProvider).toBe('disabled');
  });

  it('needs the gateway for http, and refuses SNS where it sends no SMS', () => {
    expect(() => parsePipelineConfig({ smsProvider: 'http' })).toThrow(/smsHttp: is required/);
    expect(() =>
      parsePipelineConfig({
        smsProvider: 'http',
        smsHttp: { url: 'http://sms.example.cn/send', secretName: 'dsar/sms' },
      }),
    ).toThrow(/smsHttp.url: must be an https URL/);
    expect(() =>
      parsePipelineConfig({
        region: 'cn-northwest-1',
        consoleIssuer: { issuerUrl: 'https://login.example.cn/oidc', audience: ['dsar-console'] },
        smsProvider: 'sns',
      }),
    ).toThrow(/smsProvider: Amazon SNS sends no SMS in cn-northwest-1/);
  });
});
