import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FunctionDefinition } from '../../infra/definitions/functions';
import type { PipelineApp } from '../../infra/pipeline-app';
import { HMAC_KEY_SECRET_VARIABLE } from '../../infra/stack';
import { AUDIT_WRITER, FIXTURE_FUNCTIONS, INTAKE } from '../fixtures/infra/definitions';
import { pipelineApp } from './support/cdk';

type Statement = { Action: string | string[]; Resource: unknown };
type Resource = { Type: string; Properties: Record<string, unknown> };

const MAILER: FunctionDefinition = {
  ...AUDIT_WRITER,
  id: 'Mailer',
  description: 'Fixture: mails requesters',
  sendsEmail: true,
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
    'gives %s the sender, the default policy, the API URL and the HMAC key secret',
    (functionId) => {
      const variables = variablesOf(functionId);
      expect(variables.SENDER_ADDRESS).toBe('privacy@example.com');
      expect(variables.DEFAULT_POLICY_ID).toBe('caftrade');
      expect(JSON.stringify(variables.PUBLIC_BASE_URL)).toContain(logicalId(built.stack.api.httpApi));
      expect(variables[HMAC_KEY_SECRET_VARIABLE]).toEqual({ Ref: logicalId(built.stack.hmacKey) });
      expect(variables).not.toHaveProperty('PIPELINE_HMAC_KEY');
      const reads = statementsOf(functionId).filter((statement) =>
        [statement.Action].flat().includes('secretsmanager:GetSecretValue'),
      );
      expect(reads.map((statement) => statement.Resource)).toEqual([{ Ref: logicalId(built.stack.hmacKey) }]);
    },
  );

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
