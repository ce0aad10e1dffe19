/**
 * The audit trail's MAC key: a KMS HMAC key in the stack, usable by the functions that append audit
 * events for GenerateMac only, by a trail verifier for VerifyMac, and by no other function at all.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_TRAIL_KEY_VARIABLE,
  type FunctionDefinition,
  PIPELINE_FUNCTIONS,
  writesAuditTrail,
} from '../../definitions/functions';
import { AUDIT_TABLE } from '../../definitions/tables';
import { AUDIT_WRITER, CONSOLE_READER, FIXTURE_FUNCTIONS, INTAKE } from '../fixtures/infra/definitions';
import { pipelineApp } from './support/cdk';

type Statement = { Action: string | string[]; Resource: unknown };
type Resource = { Type: string; Properties: Record<string, unknown> };

const TRAIL_VERIFIER: FunctionDefinition = {
  ...CONSOLE_READER,
  id: 'TrailVerifier',
  description: 'Fixture: shows a request with its trail verdict',
  tables: [{ table: AUDIT_TABLE, access: 'read' }],
  buckets: [],
  verifiesAuditTrail: true,
};

describe('the audit trail key', () => {
  const built = pipelineApp({}, { functions: [...FIXTURE_FUNCTIONS, TRAIL_VERIFIER] });
  const template = Template.fromStack(built.stack);
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const logicalId = (construct: IConstruct) =>
    built.stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const keyId = logicalId(built.stack.auditTrailKey);
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
  const onTrailKey = (functionId: string) =>
    statementsOf(functionId).filter((statement) => JSON.stringify(statement.Resource).includes(keyId));
  const variablesOf = (functionId: string) =>
    (
      resources[logicalId(built.stack.functions.get(functionId)!.function)]!.Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;

  it('is an HMAC key for making and verifying MACs, kept when the stack goes', () => {
    expect(resources[keyId]).toMatchObject({
      Type: 'AWS::KMS::Key',
      Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
      DeletionPolicy: 'Retain',
    });
  });

  it('lets the functions that append audit events make MACs, and nothing more', () => {
    for (const writer of [AUDIT_WRITER, INTAKE]) {
      expect(onTrailKey(writer.id)).toEqual([
        expect.objectContaining({ Action: 'kms:GenerateMac', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } }),
      ]);
      expect(variablesOf(writer.id)).toHaveProperty(AUDIT_TRAIL_KEY_VARIABLE);
    }
  });

  it('lets a verifier check MACs, and gives functions that touch no trail neither grant nor key', () => {
    expect(onTrailKey(TRAIL_VERIFIER.id)).toEqual([
      expect.objectContaining({ Action: 'kms:VerifyMac', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } }),
    ]);
    expect(onTrailKey(CONSOLE_READER.id)).toEqual([]);
    expect(variablesOf(CONSOLE_READER.id)).not.toHaveProperty(AUDIT_TRAIL_KEY_VARIABLE);
  });

  it('is named in an output, for npx dsar audit verify --aws', () => {
    expect(
      Object.keys(template.toJSON().Outputs ?? {}).some((name) => name.startsWith('AuditTrailKeyArn')),
    ).toBe(true);
  });
});

describe('the pipeline functions and the trail key', () => {
  it('signs wherever the audit table is appended to, and verifies in the console detail and the evidence pack', () => {
    const writers = PIPELINE_FUNCTIONS.filter(writesAuditTrail).map((definition) => definition.id);
    expect(writers).toEqual(expect.arrayContaining(['SubmitRequest', 'SweepRequests', 'ConsoleCalendars']));
    expect(writers).not.toContain('GetRequestStatus');
    expect(PIPELINE_FUNCTIONS.filter((definition) => definition.verifiesAuditTrail).map((d) => d.id)).toEqual(
      ['ConsoleGetRequest', 'ConsoleEvidencePack'],
    );
  });
});
