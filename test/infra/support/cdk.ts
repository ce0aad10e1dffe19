/**
 * Test support: apps built with the same feature flags as `cdk synth` (the
 * `context` of cdk.json), writing their cloud assembly to a temporary folder.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type AppProps, Stack } from 'aws-cdk-lib';
import { REPOSITORY_ROOT } from '../../../infra/constructs/functions/pipeline-function';
import { buildPipelineApp, type PipelineApp } from '../../../infra/pipeline-app';
import type { DsarPipelineStackProps } from '../../../infra/stack';
import { FIXTURE_FUNCTIONS, FIXTURE_ROUTES } from '../../fixtures/infra/definitions';

/** The feature flags and other context that cdk.json gives `cdk synth`. */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(join(REPOSITORY_ROOT, 'cdk.json'), 'utf8'),
).context;

function appProps(context: Readonly<Record<string, unknown>>, cloudFormationValidation: boolean): AppProps {
  return {
    outdir: mkdtempSync(join(tmpdir(), 'dsar-cdk-')),
    context: { ...CDK_JSON_CONTEXT, ...context },
    builtinCloudFormationValidation: cloudFormationValidation,
  };
}

/**
 * An empty stack in an app with the project's feature flags, for testing one
 * construct. CDK's built-in CloudFormation rule check (about ten seconds per
 * synthesis) is left to the whole-app tests, which run it as `cdk synth` does.
 */
export function testStack(context: Readonly<Record<string, unknown>> = {}): Stack {
  return new Stack(new App(appProps(context, false)), 'Test');
}

/**
 * The whole app as `cdk synth` builds it (configuration, stack, cdk-nag), with
 * the fixture functions and routes unless told otherwise.
 * @param context deployment configuration as CDK context, e.g. `{ region: 'cn-north-1' }`
 */
export function pipelineApp(
  context: Readonly<Record<string, unknown>> = {},
  overrides: Partial<Omit<DsarPipelineStackProps, 'config'>> = {},
): PipelineApp {
  return buildPipelineApp(appProps(context, true), {
    functions: FIXTURE_FUNCTIONS,
    routes: FIXTURE_ROUTES,
    ...overrides,
  });
}
