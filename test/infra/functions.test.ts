import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FunctionDefinition } from '../../definitions/functions';
import { AUDIT_TABLE, type TableDefinition } from '../../definitions/tables';
import { PipelineData } from '../../infra/constructs/data/pipeline-data';
import { InvalidFunctionDefinitionError } from '../../infra/constructs/functions/pipeline-function';
import { PipelineFunctions } from '../../infra/constructs/functions/pipeline-functions';
import { AUDIT_WRITER, FIXTURE_FUNCTIONS, INTAKE, MAIL_PARSER } from '../fixtures/infra/definitions';
import { testStack } from './support/cdk';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
type Resource = { Type: string; Properties: Record<string, unknown> };

describe('PipelineFunctions', () => {
  let stack: Stack;
  let data: PipelineData;
  let functions: PipelineFunctions;
  let template: Template;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    stack = testStack();
    data = new PipelineData(stack, 'Data');
    functions = new PipelineFunctions(stack, 'Functions', {
      definitions: FIXTURE_FUNCTIONS,
      tables: data.tables,
      buckets: data.buckets,
      environment: { POLICY_ID: 'pipl-default' },
      deadLetterQueueKey: data.key,
    });
    template = Template.fromStack(stack);
    resources = template.toJSON().Resources;
  });

  const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const functionResource = (definition: FunctionDefinition) => {
    const fn = functions.get(definition.id);
    if (fn === undefined) throw new Error(`no function ${definition.id}`);
    return resources[logicalId(fn.function)] as Resource;
  };
  /** Every statement of every policy attached to a function's role. */
  const statementsOf = (definition: FunctionDefinition): Statement[] => {
    const roleId = logicalId(functions.get(definition.id)!.role);
    return Object.values(resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          (resource.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
      )
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };
  const actionsOf = (statement: Statement) => [statement.Action].flat();
  const mentions = (statement: Statement, table: TableDefinition) =>
    JSON.stringify(statement.Resource).includes(logicalId(data.tables[table.id]!));

  it('builds one function per definition, exposed by id', () => {
    template.resourceCountIs('AWS::Lambda::Function', FIXTURE_FUNCTIONS.length);
    expect(functions.all.map((fn) => fn.definition.id)).toEqual(FIXTURE_FUNCTIONS.map((fn) => fn.id));
  });

  it.each(FIXTURE_FUNCTIONS.map((definition) => [definition.id, definition] as const))(
    'runs %s on Node.js 22 on arm64, traced, with Powertools settings',
    (_id, definition) => {
      const properties = functionResource(definition).Properties;
      expect(properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        Timeout: definition.timeoutSeconds ?? 10,
        MemorySize: definition.memoryMb ?? 256,
        Environment: {
          Variables: expect.objectContaining({
            POWERTOOLS_SERVICE_NAME: 'dsar-pipeline',
            POWERTOOLS_METRICS_NAMESPACE: 'DsarPipeline',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            POLICY_ID: 'pipl-default',
          }),
        },
      });
    },
  );

  it.each(FIXTURE_FUNCTIONS.map((definition) => [definition.id, definition] as const))(
    'passes %s the physical name of each declared table and bucket, and nothing undeclared',
    (_id, definition) => {
      const variables = (functionResource(definition).Properties.Environment as { Variables: object })
        .Variables;
      const expected = Object.fromEntries([
        ...definition.tables.map(({ table }) => [table.envVar, { Ref: logicalId(data.tables[table.id]!) }]),
        ...definition.buckets.map(({ bucket }) => [
          bucket.envVar,
          { Ref: logicalId(data.buckets[bucket.id]!) },
        ]),
      ]);
      const dataVariables = Object.fromEntries(
        Object.entries(variables).filter(([name]) => name.endsWith('_TABLE') || name.endsWith('_BUCKET')),
      );
      expect(dataVariables).toEqual(expected);
    },
  );

  it('writes each function log to its own log group with a retention period', () => {
    const properties = functionResource(INTAKE).Properties;
    const logGroupId = (properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(resources[logGroupId]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 365 },
    });
  });

  it('bundles the handler locally with esbuild as a minified ES module with a require shim and source map', () => {
    const code = functionResource(AUDIT_WRITER).Properties.Code as { S3Key: string };
    const { outdir } = stack.node.root as App;
    const bundle = join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    const source = readFileSync(bundle, 'utf8');
    expect(source).toContain('createRequire');
    expect(source).toContain('sourceMappingURL=index.mjs.map');
    expect(source.split('\n').length).toBeLessThan(10);
  });

  it('gives the audit writer PutItem on the audit table and no other DynamoDB action', () => {
    const statements = statementsOf(AUDIT_WRITER);
    const dynamoActions = statements.flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:'));
    expect(dynamoActions).toEqual(['dynamodb:PutItem']);
    const onAudit = statements.filter((statement) => mentions(statement, AUDIT_TABLE));
    expect(onAudit.flatMap(actionsOf)).toEqual(['dynamodb:PutItem']);
  });

  it('keeps the audit table append-only for a function that also writes other tables', () => {
    const onAudit = statementsOf(INTAKE).filter((statement) => mentions(statement, AUDIT_TABLE));
    expect(onAudit.flatMap(actionsOf)).toEqual(['dynamodb:PutItem']);
    expect(statementsOf(INTAKE).flatMap(actionsOf)).toContain('dynamodb:UpdateItem');
  });

  it('lets DynamoDB use the data key for the append-only writer, and only through DynamoDB', () => {
    const kms = statementsOf(AUDIT_WRITER).filter((statement) =>
      actionsOf(statement).some((a) => a.startsWith('kms:')),
    );
    expect(kms).toHaveLength(1);
    expect(kms[0]).toMatchObject({
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Condition: { StringEquals: { 'kms:ViaService': expect.anything() } },
    });
  });

  it('attaches no managed policies to any function role', () => {
    const roles = Object.values(resources).filter((resource) => resource.Type === 'AWS::IAM::Role');
    expect(roles).toHaveLength(FIXTURE_FUNCTIONS.length);
    for (const role of roles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('gives a dead-letter queue, encrypted with the data key, only to asynchronously invoked functions', () => {
    template.resourceCountIs('AWS::SQS::Queue', 1);
    const queueId = logicalId(functions.get(MAIL_PARSER.id)!.deadLetterQueue!);
    expect(functionResource(MAIL_PARSER).Properties.DeadLetterConfig).toEqual({
      TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
    expect(resources[queueId]?.Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [logicalId(data.key), 'Arn'],
    });
    expect(functionResource(INTAKE).Properties.DeadLetterConfig).toBeUndefined();
  });

  it.each([
    [
      'a table the stack does not declare',
      {
        ...AUDIT_WRITER,
        tables: [{ table: { ...AUDIT_TABLE, id: 'Ledger' }, access: 'append-only' as const }],
      },
      /AuditWriter declares table 'Ledger'/,
    ],
    [
      'two data sources on one environment variable',
      {
        ...AUDIT_WRITER,
        environment: undefined,
        tables: [...INTAKE.tables, { table: AUDIT_TABLE, access: 'read' as const }],
      },
      /sets environment variable AUDIT_TABLE twice/,
    ],
  ])('refuses a definition with %s', (_case, definition, message) => {
    const build = () => {
      const otherStack = testStack();
      const otherData = new PipelineData(otherStack, 'Data');
      new PipelineFunctions(otherStack, 'Functions', {
        definitions: [definition],
        tables: otherData.tables,
        buckets: otherData.buckets,
      });
    };
    expect(build).toThrow(InvalidFunctionDefinitionError);
    expect(build).toThrow(message);
  });

  it('refuses two definitions with the same id', () => {
    const otherStack = testStack();
    const otherData = new PipelineData(otherStack, 'Data');
    expect(
      () =>
        new PipelineFunctions(otherStack, 'Functions', {
          definitions: [AUDIT_WRITER, AUDIT_WRITER],
          tables: otherData.tables,
          buckets: otherData.buckets,
        }),
    ).toThrow(/share the id 'AuditWriter'/);
  });
});
