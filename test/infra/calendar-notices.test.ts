/**
 * Who may touch the imported calendar notices: every function whose bundle loads the calendars
 * (adapters/aws/calendar-notices.ts) reads the table, and the import function alone writes it.
 * Checked on the definitions against the real bundles' inputs, and on the synthesised IAM policies.
 */
import { join } from 'node:path';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CALENDARS, PIPELINE_FUNCTIONS } from '../../definitions/functions';
import { CALENDAR_NOTICES_TABLE } from '../../definitions/tables';
import { PipelineData } from '../../infra/constructs/data/pipeline-data';
import { PipelineFunctions } from '../../infra/constructs/functions/pipeline-functions';
import { testStack } from './support/cdk';

type Statement = { Action: string | string[]; Resource: unknown };
type Resource = { Type: string; Properties: Record<string, unknown> };

const ROOT = join(__dirname, '../..');
const LOADER = 'adapters/aws/calendar-notices.ts';
const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

const accessOf = (id: string) =>
  PIPELINE_FUNCTIONS.find((definition) => definition.id === id)!.tables.find(
    (grant) => grant.table.id === CALENDAR_NOTICES_TABLE.id,
  )?.access;

describe('the CalendarNotices table', () => {
  it('is read by every function whose bundle loads the calendars', async () => {
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: Object.fromEntries(
        PIPELINE_FUNCTIONS.map((definition) => [definition.id, definition.entry]),
      ),
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      format: 'esm',
      outdir: 'out',
      logLevel: 'silent',
      alias: { 'dsar-store-registry': join(ROOT, 'config/data-stores.demo.json') },
    });
    const loaders = Object.entries(result.metafile.outputs)
      .filter(([, output]) => (output.inputs[LOADER]?.bytesInOutput ?? 0) > 0)
      .map(([file]) => file.replace(/^out\//, '').replace(/\.js$/, ''))
      .sort();
    expect(loaders).toContain('SweepRequests');
    expect(loaders).toContain('SubmitRequest');
    const readers = PIPELINE_FUNCTIONS.filter((definition) => accessOf(definition.id) !== undefined)
      .map((definition) => definition.id)
      .sort();
    expect(readers).toEqual(loaders);
  });

  it('is written by the import function alone', () => {
    const writers = PIPELINE_FUNCTIONS.filter((definition) => {
      const access = accessOf(definition.id);
      return access !== undefined && access !== 'read';
    }).map((definition) => definition.id);
    expect(writers).toEqual([CONSOLE_CALENDARS.id]);
  });

  describe('in the synthesised policies', () => {
    let stack: Stack;
    let data: PipelineData;
    let functions: PipelineFunctions;
    let resources: Record<string, Resource>;

    beforeAll(() => {
      stack = testStack();
      data = new PipelineData(stack, 'Data');
      functions = new PipelineFunctions(stack, 'Functions', {
        // Bundling is not what is tested here: every function gets the echo handler.
        definitions: PIPELINE_FUNCTIONS.map(({ registeredStores: _stores, ...definition }) => ({
          ...definition,
          entry: 'test/fixtures/infra/echo-handler.ts',
        })),
        tables: data.tables,
        buckets: data.buckets,
        environment: { POLICY_ID: 'pipl-default' },
        deadLetterQueueKey: data.key,
      });
      resources = Template.fromStack(stack).toJSON().Resources;
    });

    const logicalId = (element: { node: { defaultChild?: unknown } }) =>
      stack.getLogicalId(element.node.defaultChild as CfnElement);

    /** The DynamoDB actions a function's role has on the CalendarNotices table. */
    const actionsOnNotices = (id: string): string[] => {
      const roleId = logicalId(functions.get(id)!.role);
      const tableId = logicalId(data.tables[CALENDAR_NOTICES_TABLE.id]!);
      return Object.values(resources)
        .filter(
          (resource) =>
            resource.Type === 'AWS::IAM::Policy' &&
            (resource.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
        )
        .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((statement) => JSON.stringify(statement.Resource).includes(tableId))
        .flatMap((statement) => [statement.Action].flat());
    };

    it('lets ConsoleCalendars, and no other function, write it', () => {
      const writers = PIPELINE_FUNCTIONS.filter((definition) =>
        actionsOnNotices(definition.id).some((action) => WRITES.includes(action)),
      ).map((definition) => definition.id);
      expect(writers).toEqual([CONSOLE_CALENDARS.id]);
      expect(actionsOnNotices(CONSOLE_CALENDARS.id)).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']),
      );
    });

    it('lets the readers query it', () => {
      for (const definition of PIPELINE_FUNCTIONS.filter((candidate) => accessOf(candidate.id) === 'read')) {
        expect([definition.id, actionsOnNotices(definition.id)]).toEqual([
          definition.id,
          expect.arrayContaining(['dynamodb:Query', 'dynamodb:GetItem']),
        ]);
      }
    });
  });
});
