import { Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FunctionDefinition } from '../../definitions/functions';
import { acknowledgeFindings, UnexplainedAcknowledgementError } from '../../infra/constructs/nag';
import type { PipelineApp } from '../../infra/pipeline-app';
import { AUDIT_WRITER, FIXTURE_FUNCTIONS, INTAKE } from '../fixtures/infra/definitions';
import { pipelineApp } from './support/cdk';

/** What cdk-nag (AWS Solutions pack) reports for a stack, acknowledged findings excluded. */
function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`,
    ),
  );
}

/** Every acknowledgement recorded in the construct tree, with where it was made. */
function acknowledgements(scope: IConstruct): { path: string; id: string; reason: string }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

const RELAY_SECRET_ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:dsar/smtp-relay-AbC123';
const RELAY_KEY_ARN = 'arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const CHINA = {
  region: 'cn-north-1',
  consoleIssuer: { issuerUrl: 'https://login.example.cn/oidc', audience: ['dsar-console'] },
  userPoolFeaturePlan: 'essentials',
  // No SES in the China regions: outbound mail goes through a relay.
  senderAddress: 'privacy@example.cn',
  smtpRelay: { host: 'smtpdm.aliyun.com', port: 465, secretArn: RELAY_SECRET_ARN, kmsKeyArn: RELAY_KEY_ARN },
};

const MAILER: FunctionDefinition = {
  ...AUDIT_WRITER,
  id: 'Mailer',
  description: 'Fixture: mails requesters',
  sendsEmail: true,
};

describe('cdk-nag AWS Solutions checks', () => {
  let built: PipelineApp;
  let template: Template;

  beforeAll(() => {
    built = pipelineApp({ operatorEmail: 'privacy-ops@example.com' });
    template = Template.fromStack(built.stack);
  });

  it('finds no unacknowledged error or warning in the pipeline stack', () => {
    expect(nagFindings(built.stack)).toEqual([]);
  });

  it('leaves no error or warning annotation on any construct', () => {
    const annotations = Annotations.fromStack(built.stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  });

  it('synthesizes the whole app with the checks registered as a validation plugin', () => {
    expect(() => built.app.synth()).not.toThrow();
  });

  it('gives every acknowledgement a specific reason', () => {
    const acks = acknowledgements(built.stack);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^AwsSolutions-[A-Z]+\d+/);
      expect(ack.reason.length).toBeGreaterThan(40);
    }
  });

  it('acknowledges wildcard findings one at a time, never the whole IAM5 rule', () => {
    const wildcardAcks = acknowledgements(built.stack).filter((ack) =>
      ack.id.startsWith('AwsSolutions-IAM5'),
    );
    expect(wildcardAcks.length).toBeGreaterThan(0);
    for (const ack of wildcardAcks) expect(ack.id).toMatch(/^AwsSolutions-IAM5\[(Action|Resource)::.+\]$/);
  });

  it('acknowledges Resource::* only on the X-Ray tracing policies', () => {
    const starAcks = acknowledgements(built.stack).filter(
      (ack) => ack.id === 'AwsSolutions-IAM5[Resource::*]',
    );
    expect(starAcks.length).toBeGreaterThan(0);
    for (const ack of starAcks)
      expect(ack.path).toMatch(/\/TracingPolicy$|\/Fulfilment\/StateMachine\/Role$/);
  });

  it('still reports a wildcard that no declared grant explains', () => {
    const other = pipelineApp();
    const intake = other.stack.functions.get(INTAKE.id)!;
    intake.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: ['*'] }));
    intake.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    expect(nagFindings(other.stack)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^error AwsSolutions-IAM5\[Resource::\*\] at .*Intake\/Role\/DefaultPolicy/),
        expect.stringMatching(
          /^error AwsSolutions-IAM5\[Action::dynamodb:\*\] at .*Intake\/Role\/DefaultPolicy/,
        ),
      ]),
    );
    expect(() => other.app.synth()).toThrow(/AwsSolutions-IAM5/);
  });

  it('refuses an acknowledgement without a real reason', () => {
    expect(() => acknowledgeFindings(built.stack, [{ id: 'AwsSolutions-S1', reason: 'not needed' }])).toThrow(
      UnexplainedAcknowledgementError,
    );
  });

  it('writes no partition-specific ARN into the environment-agnostic template', () => {
    expect(JSON.stringify(template.toJSON())).not.toContain('arn:aws:');
  });
});

describe('console MFA', () => {
  const cog2 = (built: PipelineApp) =>
    acknowledgements(built.stack).filter((ack) => ack.id === 'AwsSolutions-COG2');

  it('is required by default (TOTP only), with nothing acknowledged', () => {
    const built = pipelineApp();
    Template.fromStack(built.stack).hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
    expect(cog2(built)).toEqual([]);
    expect(nagFindings(built.stack)).toEqual([]);
  });

  it('is optional when the deployer says so, COG2 acknowledged with that reason', () => {
    const built = pipelineApp({ consoleMfa: 'optional' });
    Template.fromStack(built.stack).hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
    expect(cog2(built)).toEqual([expect.objectContaining({ reason: expect.stringContaining('consoleMfa') })]);
    expect(nagFindings(built.stack)).toEqual([]);
  });
});

describe('the pipeline stack in the AWS China partition', () => {
  let built: PipelineApp;
  let templateJson: string;

  beforeAll(() => {
    built = pipelineApp(CHINA, { functions: [...FIXTURE_FUNCTIONS, MAILER] });
    templateJson = JSON.stringify(Template.fromStack(built.stack).toJSON());
  });

  it('targets cn-north-1', () => {
    expect(Stack.of(built.stack).region).toBe('cn-north-1');
  });

  it('contains no literal arn:aws: (every ARN is in the aws-cn partition)', () => {
    expect(templateJson).not.toContain('arn:aws:');
    expect(templateJson).toContain('arn:aws-cn:');
  });

  it('passes the AWS Solutions checks there too', () => {
    expect(nagFindings(built.stack)).toEqual([]);
  });

  it('sends mail through the SMTP relay: its secret and key are granted, SES is not', () => {
    const statements = Object.values(
      Template.fromStack(built.stack).findResources('AWS::IAM::Policy'),
    ).flatMap(
      (policy) =>
        policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[],
    );
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => action.startsWith('ses:'))).toEqual([]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: RELAY_SECRET_ARN }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'kms:Decrypt', Resource: RELAY_KEY_ARN }),
    );
  });

  it('creates no Cognito user pool, which that region does not offer', () => {
    expect(templateJson).not.toContain('AWS::Cognito::UserPool');
  });
});
