/**
 * Builds the CDK app: configuration, the pipeline stack, and cdk-nag's
 * AWS Solutions checks. Separate from `app.ts` (the CLI entry point) so that
 * tests build exactly what `cdk synth` builds.
 */
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadPipelineConfig } from './config';
import { DsarPipelineStack, type DsarPipelineStackProps } from './stack';

export interface PipelineApp {
  readonly app: App;
  readonly stack: DsarPipelineStack;
}

/**
 * @param appProps passed to `new App()` (tests pass context and an outdir)
 * @param stackOverrides replaces stack props (tests pass fixture functions and routes)
 */
export function buildPipelineApp(
  appProps: AppProps = {},
  stackOverrides: Partial<Omit<DsarPipelineStackProps, 'config'>> = {},
): PipelineApp {
  const app = new App(appProps);
  const config = loadPipelineConfig(app);
  const env =
    config.account === undefined && config.region === undefined
      ? undefined
      : { account: config.account, region: config.region };
  const stack = new DsarPipelineStack(app, config.stackName, { config, env, ...stackOverrides });
  // cdk-nag 3 is a policy-validation plugin: it runs after synthesis and fails
  // it on any finding that is not acknowledged with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
