import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { parseStoreRegistry } from '../../domain/stores/registry';
import { grantRegisteredStores } from '../../infra/constructs/fulfilment/store-grants';
import { testStack } from './support/cdk';

const CRM_KEY = 'arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const PROCESSOR_SECRET = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:dsar/newsletter-AbC123';

const category = { id: 'profile', description: 'Profile', erasure: { mode: 'delete' } };

function registryWith(secrets: boolean) {
  return parseStoreRegistry({
    organisation: 'Test',
    stores: [
      {
        id: 'crm',
        kind: 'postgres',
        description: 'CRM database',
        postgres: {
          connection: 'CRM',
          ...(secrets ? { connectionSecret: { name: 'dsar/crm-db', kmsKeyArn: CRM_KEY } } : {}),
          tables: [
            {
              table: 'customers',
              primaryKey: 'id',
              identifier: 'email',
              column: 'email',
              category: 'profile',
            },
          ],
        },
        categories: [category],
      },
      {
        id: 'newsletter',
        kind: 'http-processor',
        description: 'Newsletter processor',
        httpProcessor: {
          endpoint: 'https://processor.example.cn/opendsr',
          callbackSecretName: 'newsletter-callback',
          recipientName: 'Newsletter Ltd',
          downstreamRecipient: true,
          ...(secrets ? { credentialsSecret: { arn: PROCESSOR_SECRET } } : {}),
        },
        categories: [category],
      },
    ],
  });
}

function statementsGranted(secrets: boolean) {
  const stack = testStack({});
  const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  grantRegisteredStores(role, registryWith(secrets), 'read-write');
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[],
  );
}

describe('registered stores whose credentials are in Secrets Manager', () => {
  it('lets the role read exactly the connection and credentials secrets the registry names', () => {
    const statements = statementsGranted(true);
    const reads = statements.filter((statement) => statement.Action === 'secretsmanager:GetSecretValue');
    expect(reads).toHaveLength(1);
    const resources = JSON.stringify(reads[0]!.Resource);
    expect(resources).toContain(PROCESSOR_SECRET);
    // A name is granted as every ARN Secrets Manager may give it, in the stack's partition/region/account.
    expect(resources).toContain(':secret:dsar/crm-db-??????');
    expect(resources).toContain('AWS::Partition');
  });

  it('lets the role decrypt with the customer-managed key only through Secrets Manager', () => {
    const decrypt = statementsGranted(true).filter((statement) => statement.Action === 'kms:Decrypt');
    expect(decrypt).toEqual([
      expect.objectContaining({
        Resource: CRM_KEY,
        Condition: { StringEquals: { 'kms:ViaService': expect.anything() } },
      }),
    ]);
    expect(JSON.stringify(decrypt[0]!.Condition)).toContain('secretsmanager.');
  });

  it('grants no secret when the registry names none', () => {
    const actions = statementsGranted(false).flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => String(action).startsWith('secretsmanager:'))).toEqual([]);
  });

  it.each([
    ['both an ARN and a name', { arn: PROCESSOR_SECRET, name: 'dsar/crm-db' }],
    ['neither an ARN nor a name', { kmsKeyArn: CRM_KEY }],
    ['an ARN that is not a secret ARN', { arn: 'arn:aws:s3:::bucket' }],
  ])('refuses a connection secret with %s', (_, connectionSecret) => {
    const raw = {
      organisation: 'Test',
      stores: [
        {
          id: 'crm',
          kind: 'postgres',
          description: 'CRM database',
          postgres: {
            connection: 'CRM',
            connectionSecret,
            tables: [
              {
                table: 'customers',
                primaryKey: 'id',
                identifier: 'email',
                column: 'email',
                category: 'profile',
              },
            ],
          },
          categories: [category],
        },
      ],
    };
    expect(() => parseStoreRegistry(raw)).toThrow(/connectionSecret/);
  });
});
