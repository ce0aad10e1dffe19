import { type CfnElement, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ANCHORS_BUCKET, PIPELINE_BUCKETS } from '../../definitions/buckets';
import { PIPELINE_TABLES, REQUESTS_TABLE } from '../../definitions/tables';
import { InvalidDataDefinitionError, PipelineData } from '../../infra/constructs/data/pipeline-data';
import { testStack } from './support/cdk';

describe('PipelineData', () => {
  let data: PipelineData;
  let template: Template;

  beforeAll(() => {
    const stack = testStack();
    data = new PipelineData(stack, 'Data', { expireAfterDays: { Exports: 5, InboundMail: 45 } });
    template = Template.fromStack(stack);
  });

  /** The synthesized resource of a construct declared by PipelineData. */
  const resourceOf = (construct: IConstruct | undefined) => {
    const element = construct?.node.defaultChild as CfnElement;
    return template.toJSON().Resources[Stack.of(element).getLogicalId(element)];
  };
  const declared = (id: string) => resourceOf(data.node.tryFindChild(id));
  const logicalIdOf = (id: string) => {
    const element = data.node.tryFindChild(id)?.node.defaultChild as CfnElement;
    return Stack.of(element).getLogicalId(element);
  };

  it('creates one customer-managed key, with rotation on', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('declares a table for every shared table definition, exposed by id', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', PIPELINE_TABLES.length);
    expect(Object.keys(data.tables).sort()).toEqual(PIPELINE_TABLES.map((table) => table.id).sort());
  });

  it.each(PIPELINE_TABLES.map((table) => [table.id, table] as const))(
    'gives the %s table its key schema, indexes, TTL, PITR, CMK encryption and on-demand billing',
    (id, definition) => {
      const keySchema = [
        { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
        ...(definition.sortKey ? [{ AttributeName: definition.sortKey.name, KeyType: 'RANGE' }] : []),
      ];
      const indexes = definition.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
          ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' }] : []),
        ],
        Projection: { ProjectionType: index.projection },
      }));
      const table = declared(id);
      expect(table.Properties).toMatchObject({
        KeySchema: keySchema,
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: expect.anything() },
        DeletionProtectionEnabled: true,
      });
      expect(table.Properties.GlobalSecondaryIndexes ?? []).toEqual(indexes);
      if (definition.timeToLiveAttribute === undefined) {
        expect(table.Properties.TimeToLiveSpecification).toBeUndefined();
      } else {
        expect(table.Properties.TimeToLiveSpecification).toEqual({
          AttributeName: definition.timeToLiveAttribute,
          Enabled: true,
        });
      }
      expect(table.DeletionPolicy).toBe('Retain');
    },
  );

  it('declares a data bucket for every shared bucket definition, plus one access-log bucket', () => {
    template.resourceCountIs('AWS::S3::Bucket', PIPELINE_BUCKETS.length + 1);
    expect(Object.keys(data.buckets).sort()).toEqual(PIPELINE_BUCKETS.map((bucket) => bucket.id).sort());
  });

  it.each(PIPELINE_BUCKETS.map((bucket) => [bucket.id, bucket] as const))(
    'locks down the %s bucket: no public access, SSE-KMS with a bucket key, access logs',
    (id, definition) => {
      const bucket = declared(id);
      expect(bucket.Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: expect.anything() },
            },
          ],
        },
        LoggingConfiguration: { DestinationBucketName: expect.anything(), LogFilePrefix: `${id}/` },
      });
      expect(bucket.Properties.VersioningConfiguration?.Status).toBe(
        definition.versioned ? 'Enabled' : undefined,
      );
      expect(bucket.DeletionPolicy).toBe('Retain');
    },
  );

  it.each(PIPELINE_BUCKETS.map((bucket) => [bucket.id] as const))(
    'denies non-TLS access to the %s bucket',
    (id) => {
      const bucketLogicalId = logicalIdOf(id);
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketLogicalId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    },
  );

  it('expires objects after the configured days, aborts stale uploads and expires old versions', () => {
    const rulesOf = (id: string) => declared(id).Properties.LifecycleConfiguration.Rules;
    expect(rulesOf('Exports')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
        expect.objectContaining({ ExpirationInDays: 5, Status: 'Enabled' }),
      ]),
    );
    expect(rulesOf('InboundMail')).toEqual(
      expect.arrayContaining([expect.objectContaining({ ExpirationInDays: 45 })]),
    );
    const evidenceRules = rulesOf('Evidence');
    expect(
      evidenceRules.some((rule: { ExpirationInDays?: number }) => rule.ExpirationInDays !== undefined),
    ).toBe(false);
    expect(evidenceRules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
      ]),
    );
  });

  it('keeps server access logs in a private, S3-managed-key bucket that refuses non-TLS access', () => {
    const accessLogs = resourceOf(data.accessLogBucket);
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Stack.of(data).getLogicalId(data.accessLogBucket.node.defaultChild as CfnElement) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    expect(accessLogs.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(accessLogs.Properties.PublicAccessBlockConfiguration.BlockPublicPolicy).toBe(true);
  });

  it('lets a deployer turn off deletion protection and destroy stateful resources', () => {
    const stack = testStack();
    new PipelineData(stack, 'Data', { tableDeletionProtection: false, removalPolicy: RemovalPolicy.DESTROY });
    const resources = Object.values(Template.fromStack(stack).toJSON().Resources) as {
      Type: string;
      DeletionPolicy?: string;
      Properties: { DeletionProtectionEnabled?: boolean };
    }[];
    const tables = resources.filter((resource) => resource.Type === 'AWS::DynamoDB::Table');
    expect(tables.every((table) => table.Properties.DeletionProtectionEnabled === false)).toBe(true);
    expect(tables.every((table) => table.DeletionPolicy === 'Delete')).toBe(true);
  });

  it.each([
    ['an expiry for an unknown bucket', { expireAfterDays: { Archive: 3 } }, /unknown bucket 'Archive'/],
    ['a fractional expiry', { expireAfterDays: { Exports: 2.5 } }, /expireAfterDays\.Exports/],
    ['duplicate table ids', { tables: [REQUESTS_TABLE, REQUESTS_TABLE] }, /share the id 'Requests'/],
    ['a lock on a bucket that is not locked', { lockedForDays: { Exports: 30 } }, /'Exports', not a locked/],
    ['a lock of no days', { lockedForDays: { AuditAnchors: 0 } }, /lockedForDays\.AuditAnchors/],
    [
      'a lock on an unversioned bucket',
      { buckets: [{ ...AUDIT_ANCHORS_BUCKET, versioned: false }] },
      /Object Lock needs a versioned bucket/,
    ],
  ])('refuses %s', (_case, props, message) => {
    expect(() => new PipelineData(testStack(), 'Data', props)).toThrow(InvalidDataDefinitionError);
    expect(() => new PipelineData(testStack(), 'Data', props)).toThrow(message);
  });
});
