import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMTP_RELAY_VARIABLES as MAILER_RELAY_VARIABLES } from '../../adapters/aws/mailer';
import { HMAC_KEY_SECRET_VARIABLE as FUNCTIONS_HMAC_KEY_SECRET_VARIABLE } from '../../adapters/aws/secrets';
import type { FunctionDefinition } from '../../definitions/functions';
import type { PipelineApp } from '../../infra/pipeline-app';
import { HMAC_KEY_SECRET_VARIABLE, SMTP_RELAY_VARIABLES } from '../../infra/stack';
import { AUDIT_WRITER, FIXTURE_FUNCTIONS, INTAKE } from '../fixtures/infra/definitions';
import { pipelineApp } from './support/cdk';

type Statement = { Action: string | string[]; Resource: unknown };
type Resource = { Type: string; Properties: Record<string, unknown> };

const MAILER: FunctionDefinition = {
  ...AUDIT_WRITER,
  id: 'Mailer',
  description: 'Fixture: mails requesters',
  sendsEmail: true,
  readsHmacKey: true,
};

describe('the environment and secrets every function gets', () => {
  let built: PipelineApp;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    built = pipelineApp(
      { senderAddress: 'privacy@example.com', policyId: 'caftrade' },
      { functions: [...FIXTURE_FUNCTIONS, MAILER] },
    );
    resources = Template.fromStack(built.stack).toJSON().Resources;
  });

  const logicalId = (construct: IConstruct) =>
    built.stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const variablesOf = (functionId: string) =>
    (
      resources[logicalId(built.stack.functions.get(functionId)!.function)]!.Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
  const statementsOf = (functionId: string): Statement[] => {
    const roleId = logicalId(built.stack.functions.get(functionId)!.role);
    return Object.values(resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          (resource.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
      )
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };

  it.each(['Mailer', 'Intake', 'AuditWriter'])(
    'gives %s the sender, the default policy and the API URL',
    (functionId) => {
      const variables = variablesOf(functionId);
      expect(variables.SENDER_ADDRESS).toBe('privacy@example.com');
      expect(variables.DEFAULT_POLICY_ID).toBe('caftrade');
      expect(JSON.stringify(variables.PUBLIC_BASE_URL)).toContain(logicalId(built.stack.api.httpApi));
      expect(variables).not.toHaveProperty('PIPELINE_HMAC_KEY');
    },
  );

  const secretReadsOf = (functionId: string) =>
    statementsOf(functionId)
      .filter((statement) => [statement.Action].flat().includes('secretsmanager:GetSecretValue'))
      .map((statement) => statement.Resource);

  it.each(['Mailer', 'Intake'])(
    'gives %s (readsHmacKey) the HMAC key secret and a read of it alone',
    (functionId) => {
      expect(variablesOf(functionId)[HMAC_KEY_SECRET_VARIABLE]).toEqual({
        Ref: logicalId(built.stack.hmacKey),
      });
      expect(secretReadsOf(functionId)).toEqual([{ Ref: logicalId(built.stack.hmacKey) }]);
    },
  );

  it('gives a function that does not read the HMAC key neither its ARN nor a grant', () => {
    expect(variablesOf('AuditWriter')).not.toHaveProperty(HMAC_KEY_SECRET_VARIABLE);
    expect(secretReadsOf('AuditWriter')).toEqual([]);
  });

  it('expires identity documents and attachments after evidenceRetentionDays (90 by default)', () => {
    const evidence = resources[logicalId(built.stack.data.buckets.Evidence!)]!.Properties as {
      LifecycleConfiguration: { Rules: { ExpirationInDays?: number }[] };
    };
    expect(evidence.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ ExpirationInDays: 90 })]),
    );
  });

  it('generates the HMAC key, encrypted with the data key, so it never appears in the template', () => {
    const secret = resources[logicalId(built.stack.hmacKey)]!.Properties;
    expect(secret.GenerateSecretString).toMatchObject({ PasswordLength: 64 });
    expect(secret).not.toHaveProperty('SecretString');
    expect(secret.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(built.stack.data.key), 'Arn'] });
  });

  it("lets a sendsEmail function send from the sender's domain identity only", () => {
    const sends = statementsOf(MAILER.id).filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('ses:')),
    );
    expect(sends).toHaveLength(1);
    expect([sends[0]!.Action].flat().sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
    const resource = JSON.stringify(sends[0]!.Resource);
    expect(resource).toContain(':identity/example.com"');
    expect(resource).toContain('AWS::Partition');
  });

  it('lets no other function send email', () => {
    const sends = statementsOf(INTAKE.id).filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('ses:')),
    );
    expect(sends).toEqual([]);
  });
});

describe('outbound mail through an SMTP relay (regions without SES)', () => {
  let built: PipelineApp;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    built = pipelineApp(
      {
        senderAddress: 'privacy@example.cn',
        smtpRelay: { host: 'smtp.example.cn', port: 465, secretName: 'dsar/smtp-relay' },
      },
      { functions: [...FIXTURE_FUNCTIONS, MAILER] },
    );
    resources = Template.fromStack(built.stack).toJSON().Resources;
  });

  const logicalId = (construct: IConstruct) =>
    built.stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const variablesOf = (functionId: string) =>
    (
      resources[logicalId(built.stack.functions.get(functionId)!.function)]!.Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
  const statementsOf = (functionId: string): Statement[] => {
    const roleId = logicalId(built.stack.functions.get(functionId)!.role);
    return Object.values(resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          (resource.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
      )
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };

  it('names the variables the mailer reads', () => {
    expect(SMTP_RELAY_VARIABLES).toEqual(MAILER_RELAY_VARIABLES);
    expect(HMAC_KEY_SECRET_VARIABLE).toBe(FUNCTIONS_HMAC_KEY_SECRET_VARIABLE);
  });

  it('gives a sendsEmail function the relay and its credentials secret', () => {
    expect(variablesOf(MAILER.id)).toMatchObject({
      SMTP_RELAY_HOST: 'smtp.example.cn',
      SMTP_RELAY_PORT: '465',
      SMTP_RELAY_SECRET_ARN: 'dsar/smtp-relay',
    });
    const reads = statementsOf(MAILER.id).filter(
      (statement) =>
        [statement.Action].flat().includes('secretsmanager:GetSecretValue') &&
        JSON.stringify(statement.Resource).includes('smtp-relay'),
    );
    expect(reads).toHaveLength(1);
    expect([reads[0]!.Action].flat()).toEqual(['secretsmanager:GetSecretValue']);
    const resource = JSON.stringify(reads[0]!.Resource);
    expect(resource).toContain(':secret:dsar/smtp-relay-??????');
    expect(resource).toContain('AWS::Partition');
  });

  it('grants no SES permission to any function: mail never goes through SES', () => {
    const sesActions = Object.values(resources)
      .filter((resource) => resource.Type === 'AWS::IAM::Policy')
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .flatMap((statement) => [statement.Action].flat())
      .filter((action) => action.startsWith('ses:'));
    expect(sesActions).toEqual([]);
  });

  it('gives functions that send no mail neither the relay nor its secret', () => {
    expect(variablesOf(INTAKE.id)).not.toHaveProperty('SMTP_RELAY_HOST');
    expect(JSON.stringify(statementsOf(INTAKE.id))).not.toContain('smtp-relay');
  });
});
