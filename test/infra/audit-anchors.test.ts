/**
 * The audit anchors bucket: versioned, under Object Lock in compliance mode for
 * auditAnchorRetentionDays, and the sweeper may read anchors and put new ones but delete none.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { AUDIT_ANCHORS_BUCKET } from '../../definitions/buckets';
import { type FunctionDefinition, SWEEP_REQUESTS } from '../../definitions/functions';
import { FIXTURE_FUNCTIONS } from '../fixtures/infra/definitions';
import { pipelineApp } from './support/cdk';

type Statement = { Action: string | string[]; Resource: unknown };
type Resource = { Type: string; Properties: Record<string, unknown> };

const SWEEPER: FunctionDefinition = { ...SWEEP_REQUESTS, entry: 'test/fixtures/infra/echo-handler.ts' };

function build(context: Readonly<Record<string, unknown>>) {
  const built = pipelineApp(context, { functions: [...FIXTURE_FUNCTIONS, SWEEPER] });
  const resources = Template.fromStack(built.stack).toJSON().Resources as Record<string, Resource>;
  const logicalId = (construct: IConstruct) =>
    built.stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const bucketId = logicalId(built.stack.data.buckets[AUDIT_ANCHORS_BUCKET.id]!);
  return { built, resources, logicalId, bucketId };
}

describe('the audit anchors bucket', () => {
  it('locks every anchor in COMPLIANCE mode for auditAnchorRetentionDays, on a versioned bucket', () => {
    const { resources, bucketId } = build({ auditAnchorRetentionDays: 730 });
    expect(resources[bucketId]!.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 730 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('locks for 400 days by default', () => {
    const { resources, bucketId } = build({});
    expect(resources[bucketId]!.Properties).toMatchObject({
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } },
    });
  });

  it('lets the sweeper list, read and put anchors, but not delete them', () => {
    const { built, resources, logicalId, bucketId } = build({});
    const roleId = logicalId(built.stack.functions.get(SWEEP_REQUESTS.id)!.role);
    const onBucket = Object.values(resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          (resource.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
      )
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((statement) => JSON.stringify(statement.Resource).includes(bucketId));
    const actions = onBucket.flatMap((statement) => [statement.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['s3:List*', 's3:GetObject*', 's3:PutObject']));
    expect(actions.filter((action) => action.startsWith('s3:Delete'))).toEqual([]);
  });

  it('rejects a retention of less than a day, naming the field', () => {
    expect(() => build({ auditAnchorRetentionDays: 0 })).toThrow(/auditAnchorRetentionDays/);
  });
});
