/**
 * Starts the local pipeline once per test run, exactly as a user does
 * (`local/start.ts` in its own process), in a fresh state directory, and hands
 * its URLs to the tests. Everything the pipeline prints goes to a log file that
 * the PII test scans.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { LocalStackUrls } from '../../../local/stack';
import { startStackProcess } from './stack-process';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: LocalStackUrls & { readonly logFile: string };
  }
}

export default async function setup(project: TestProject) {
  const stateDir = await mkdtemp(join(tmpdir(), 'dsar-local-'));
  const stack = await startStackProcess(stateDir, { POWERTOOLS_LOG_LEVEL: 'DEBUG' });
  project.provide('stack', stack.urls);
  return stack.stop;
}
