/**
 * CDK entry point (`cdk.json`: `npx tsx infra/app.ts`). Synthesizes without AWS
 * credentials or network: the stack is environment-agnostic unless the
 * configuration names an account or region, and it performs no context lookups.
 */
import { ConfigFileUnreadableError, InvalidConfigError } from './config';
import { buildPipelineApp } from './pipeline-app';

try {
  buildPipelineApp();
} catch (error) {
  if (!(error instanceof InvalidConfigError || error instanceof ConfigFileUnreadableError)) throw error;
  // A configuration mistake is the deployer's to fix: print the message, not a stack trace.
  console.error(error.message);
  process.exitCode = 1;
}
