import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FULFILMENT_TASKS, PIPELINE_FUNCTIONS } from '../../definitions/functions';
import { PIPELINE_ROUTES } from '../../definitions/routes';
import {
  FULFILMENT_ASL_FILE,
  Fulfilment,
  InvalidFulfilmentError,
  STATE_MACHINE_ARN_VARIABLE,
  taskFunctionIds,
} from '../../infra/constructs/fulfilment/fulfilment';
import { staticPrefix } from '../../infra/constructs/fulfilment/store-grants';
import { REPOSITORY_ROOT } from '../../infra/constructs/functions/pipeline-function';
import type { PipelineApp } from '../../infra/pipeline-app';
import {
  FIXTURE_FUNCTIONS,
  FULFILMENT_STARTER,
  FULFILMENT_TASK_FIXTURES,
  FULFILMENT_WATCHER,
} from '../fixtures/infra/definitions';
import { pipelineApp, testStack } from './support/cdk';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
type Resource = { Type: string; Properties: Record<string, unknown> };

const ASL_TEXT = readFileSync(join(REPOSITORY_ROOT, FULFILMENT_ASL_FILE), 'utf8');

function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
}

describe('the shared definitions', () => {
  it('define a function for every Lambda task of the fulfilment workflow', () => {
    const ids = PIPELINE_FUNCTIONS.map((fn) => fn.id);
    const tasks = taskFunctionIds(ASL_TEXT);
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) expect(ids).toContain(task);
    expect(FULFILMENT_TASKS.map((fn) => fn.id).sort()).toEqual([...tasks].sort());
  });

  it('define a function for every route of the API', () => {
    const ids = PIPELINE_FUNCTIONS.map((fn) => fn.id);
    for (const route of PIPELINE_ROUTES) expect(ids).toContain(route.functionId);
  });

  it('take the prefix before the first identifier placeholder as the granted key prefix', () => {
    expect(staticPrefix('invoices/{accountId}/')).toBe('invoices/');
    expect(staticPrefix('{email}/files/')).toBe('');
  });
});

describe('Fulfilment', () => {
  let built: PipelineApp;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    built = pipelineApp(
      { operatorEmail: 'privacy-ops@example.com' },
      {
        functions: [
          ...FIXTURE_FUNCTIONS,
          ...FULFILMENT_TASK_FIXTURES,
          FULFILMENT_STARTER,
          FULFILMENT_WATCHER,
        ],
      },
    );
    resources = Template.fromStack(built.stack).toJSON().Resources;
  });

  const logicalId = (construct: IConstruct) =>
    built.stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const fulfilment = () => built.stack.fulfilment!;
  const stateMachine = () => resources[logicalId(fulfilment().stateMachine)]!.Properties;
  const statementsOfRole = (roleId: string): Statement[] =>
    Object.values(resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          (resource.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
      )
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const statementsOf = (functionId: string) =>
    statementsOfRole(logicalId(built.stack.functions.get(functionId)!.role));
  const actions = (statement: Statement) => [statement.Action].flat();

  it('is a Standard state machine from the ASL file with every task resolved to its function', () => {
    const properties = stateMachine();
    expect(properties.StateMachineType).toBe('STANDARD');
    // fromFile: the ASL file itself is uploaded as an asset, unchanged.
    expect(properties.DefinitionS3Location).toBeDefined();
    const substitutions = properties.DefinitionSubstitutions as Record<string, unknown>;
    expect(Object.keys(substitutions).sort()).toEqual(
      taskFunctionIds(ASL_TEXT)
        .map((task) => `${task}FunctionArn`)
        .sort(),
    );
    for (const task of taskFunctionIds(ASL_TEXT)) {
      const fn = built.stack.functions.get(task)!;
      expect(substitutions[`${task}FunctionArn`]).toEqual({ 'Fn::GetAtt': [logicalId(fn.function), 'Arn'] });
    }
  });

  it('logs every event to an encrypted, expiring log group, without execution data, and traces', () => {
    const properties = stateMachine();
    expect(properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(properties.TracingConfiguration).toEqual({ Enabled: true });
    const logGroup = resources[logicalId(fulfilment().logGroup)]!.Properties;
    expect(logGroup.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(fulfilment().logKey), 'Arn'] });
    expect(logGroup.RetentionInDays).toBe(365);
  });

  it('may invoke exactly its task functions', () => {
    const roleId = logicalId(fulfilment().stateMachine.role);
    const invokes = statementsOfRole(roleId).filter((statement) =>
      actions(statement).some((action) => action.startsWith('lambda:')),
    );
    const expected = taskFunctionIds(ASL_TEXT).map((task) => ({
      'Fn::GetAtt': [logicalId(built.stack.functions.get(task)!.function), 'Arn'],
    }));
    expect(invokes).toHaveLength(1);
    expect(actions(invokes[0]!)).toEqual(['lambda:InvokeFunction']);
    const byId = (value: unknown) => JSON.stringify(value);
    expect([invokes[0]!.Resource].flat().map(byId).sort()).toEqual(expected.map(byId).sort());
  });

  it('lets a startsFulfilment function start it, and tells it the ARN', () => {
    const starts = statementsOf(FULFILMENT_STARTER.id).filter((statement) =>
      actions(statement).includes('states:StartExecution'),
    );
    expect(starts).toEqual([
      expect.objectContaining({ Resource: { Ref: logicalId(fulfilment().stateMachine) } }),
    ]);
    const fn = resources[logicalId(built.stack.functions.get(FULFILMENT_STARTER.id)!.function)]!;
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables[STATE_MACHINE_ARN_VARIABLE]).toEqual({ Ref: logicalId(fulfilment().stateMachine) });
  });

  it('lets a watchesFulfilment function describe its executions, nothing else, and tells it the ARN', () => {
    const watches = statementsOf(FULFILMENT_WATCHER.id).filter((statement) =>
      actions(statement).some((action) => action.startsWith('states:')),
    );
    expect(watches).toHaveLength(1);
    expect(actions(watches[0]!)).toEqual(['states:DescribeExecution']);
    expect(JSON.stringify(watches[0]!.Resource)).toContain(':execution:');
    expect(JSON.stringify(watches[0]!.Resource)).toContain(logicalId(fulfilment().stateMachine));
    const fn = resources[logicalId(built.stack.functions.get(FULFILMENT_WATCHER.id)!.function)]!;
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables[STATE_MACHINE_ARN_VARIABLE]).toEqual({ Ref: logicalId(fulfilment().stateMachine) });
  });

  it('grants no other function the right to start it', () => {
    for (const fn of built.stack.functions.all) {
      if (fn.definition.id === FULFILMENT_STARTER.id || fn.definition.id === FULFILMENT_WATCHER.id) continue;
      const startsIt = statementsOf(fn.definition.id).some((statement) =>
        actions(statement).some((action) => action.startsWith('states:')),
      );
      expect(startsIt, fn.definition.id).toBe(false);
    }
  });

  it("gives ProcessStore exactly the registry's tables, indexes and key prefixes, and only connector actions", () => {
    const storeStatements = statementsOf('ProcessStore').filter((statement) =>
      JSON.stringify(statement.Resource).match(/demo-/),
    );
    const rendered = storeStatements.map((statement) => ({
      actions: actions(statement),
      resources: [statement.Resource].flat().map((resource) => JSON.stringify(resource)),
    }));
    const dynamo = rendered.filter((statement) => statement.actions[0]!.startsWith('dynamodb:'));
    for (const statement of dynamo) {
      expect([...statement.actions].sort()).toEqual(
        [
          'dynamodb:Query',
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:DeleteItem',
          'dynamodb:UpdateItem',
          'dynamodb:BatchWriteItem',
        ].sort(),
      );
    }
    const tableResources = dynamo.flatMap((statement) => statement.resources).join('\n');
    for (const table of ['demo-accounts', 'demo-orders', 'demo-comments', 'demo-device-logs']) {
      expect(tableResources).toContain(`:table/${table}"`);
    }
    expect(tableResources).toContain(':table/demo-accounts/index/byEmail"');
    expect(tableResources).toContain(':table/demo-accounts/index/byPhone"');
    expect(tableResources).not.toContain('*');

    const s3 = rendered.filter((statement) => statement.actions[0]!.startsWith('s3:'));
    expect(s3.flatMap((statement) => statement.actions).sort()).toEqual(
      [
        's3:ListBucket',
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:GetObject',
        's3:PutObjectTagging',
      ].sort(),
    );
    const objectResources = s3.flatMap((statement) => statement.resources).join('\n');
    expect(objectResources).toContain(':s3:::demo-customer-files/invoices/*"');
    expect(objectResources).toContain(':s3:::demo-customer-files/uploads/*"');
    expect(objectResources).not.toContain('demo-customer-files/*');
  });

  it('gives ResolveIdentity (read) no action that changes a store', () => {
    const storeActions = statementsOf('ResolveIdentity')
      .filter((statement) => JSON.stringify(statement.Resource).match(/demo-/))
      .flatMap(actions);
    expect(storeActions).toContain('dynamodb:Query');
    expect(storeActions.filter((action) => /Delete|Update|Write|Put/.test(action))).toEqual([]);
  });

  it('notifies operators when an execution fails', () => {
    const alarm = Object.values(resources).find(
      (resource) =>
        resource.Type === 'AWS::CloudWatch::Alarm' && resource.Properties.MetricName === 'ExecutionsFailed',
    );
    expect(alarm?.Properties).toMatchObject({ Namespace: 'AWS/States', Threshold: 1 });
  });

  it('passes the AWS Solutions checks', () => {
    expect(nagFindings(built.stack)).toEqual([]);
  });

  it('fails synthesis, naming the task, when a task has no function', () => {
    const stack = testStack();
    expect(() => new Fulfilment(stack, 'Fulfilment', { functions: {} })).toThrow(InvalidFulfilmentError);
    expect(() => new Fulfilment(stack, 'Again', { functions: {} })).toThrow(/LoadRequest/);
  });
});

describe('Fulfilment in the AWS China partition', () => {
  it('passes the AWS Solutions checks with aws-cn store ARNs', () => {
    const built = pipelineApp(
      {
        region: 'cn-north-1',
        consoleIssuer: { issuerUrl: 'https://login.example.cn/oidc', audience: ['dsar-console'] },
        userPoolFeaturePlan: 'essentials',
      },
      { functions: [...FIXTURE_FUNCTIONS, ...FULFILMENT_TASK_FIXTURES, FULFILMENT_STARTER] },
    );
    expect(JSON.stringify(Template.fromStack(built.stack).toJSON())).toContain(
      'arn:aws-cn:s3:::demo-customer-files/invoices/*',
    );
    expect(nagFindings(built.stack)).toEqual([]);
  });
});
