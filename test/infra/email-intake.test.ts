import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { INBOUND_MAIL_BUCKET } from '../../definitions/buckets';
import { EMAIL_INTAKE, type FunctionDefinition } from '../../definitions/functions';
import { INBOUND_MAIL_PREFIX, INBOUND_MAIL_PREFIX_VARIABLE } from '../../infra/constructs/mail/email-intake';
import type { PipelineApp } from '../../infra/pipeline-app';
import { FIXTURE_FUNCTIONS } from '../fixtures/infra/definitions';
import { pipelineApp } from './support/cdk';

type Resource = { Type: string; Properties: Record<string, unknown> };

const INTAKE_FIXTURE: FunctionDefinition = { ...EMAIL_INTAKE, entry: 'test/fixtures/infra/echo-handler.ts' };
const SES_CONFIG = { emailIntake: 'ses', domainName: 'example.com', senderAddress: 'privacy@example.com' };

describe('EmailIntake (SES receiving)', () => {
  let built: PipelineApp;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    built = pipelineApp(SES_CONFIG, { functions: [...FIXTURE_FUNCTIONS, INTAKE_FIXTURE] });
    resources = Template.fromStack(built.stack).toJSON().Resources;
  });

  const logicalId = (construct: IConstruct) =>
    built.stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
  const ofType = (type: string) => Object.values(resources).filter((resource) => resource.Type === type);

  it('stores mail to privacy@<domain> in the inbound bucket, then invokes EmailIntake asynchronously', () => {
    const [rule] = ofType('AWS::SES::ReceiptRule');
    const properties = rule!.Properties.Rule as {
      Recipients: string[];
      Actions: { S3Action?: Record<string, unknown>; LambdaAction?: Record<string, unknown> }[];
      ScanEnabled: boolean;
    };
    expect(properties.Recipients).toEqual(['privacy@example.com']);
    expect(properties.ScanEnabled).toBe(true);
    expect(properties.Actions[0]!.S3Action).toEqual({
      BucketName: { Ref: logicalId(built.stack.data.buckets[INBOUND_MAIL_BUCKET.id]!) },
      ObjectKeyPrefix: INBOUND_MAIL_PREFIX,
    });
    expect(properties.Actions[1]!.LambdaAction).toMatchObject({
      FunctionArn: { 'Fn::GetAtt': [logicalId(built.stack.functions.get(EMAIL_INTAKE.id)!.function), 'Arn'] },
      InvocationType: 'Event',
    });
  });

  it('tells EmailIntake the prefix the S3 action writes under, so it reads <prefix><messageId>', () => {
    const [rule] = ofType('AWS::SES::ReceiptRule');
    const s3Action = (rule!.Properties.Rule as { Actions: { S3Action?: { ObjectKeyPrefix: string } }[] })
      .Actions[0]!.S3Action!;
    const intake = resources[logicalId(built.stack.functions.get(EMAIL_INTAKE.id)!.function)]!;
    const variables = (intake.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables[INBOUND_MAIL_PREFIX_VARIABLE]).toBe(s3Action.ObjectKeyPrefix);
    expect(s3Action.ObjectKeyPrefix).toBe('inbound/');
  });

  it('lets SES write the inbound prefix and use the bucket key only through S3', () => {
    const bucketPolicies = JSON.stringify(ofType('AWS::S3::BucketPolicy'));
    expect(bucketPolicies).toContain('ses.amazonaws.com');
    expect(bucketPolicies).toContain(`/${INBOUND_MAIL_PREFIX}*`);
    const keyPolicy = JSON.stringify(resources[logicalId(built.stack.data.key)]!.Properties.KeyPolicy);
    expect(keyPolicy).toContain('ses.amazonaws.com');
    expect(keyPolicy).toContain('kms:ViaService');
  });

  it('passes the AWS Solutions checks', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(built.stack);
    expect(
      report.violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
      ),
    ).toEqual([]);
  });

  it('creates no receipt rules when email intake is disabled', () => {
    const other = pipelineApp({}, { functions: [...FIXTURE_FUNCTIONS, INTAKE_FIXTURE] });
    expect(JSON.stringify(Template.fromStack(other.stack).toJSON())).not.toContain('AWS::SES::Receipt');
  });
});
