/**
 * Starts the local pipeline once per test run, exactly as a user does
 * (`local/start.ts` in its own process), in a fresh state directory, and hands
 * its URLs to the tests. Everything the pipeline prints goes to a log file that
 * the PII test scans.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { LocalStackUrls } from '../../../local/stack';

declare module 'vitest' {
  export interface ProvidedContext {
    stack: LocalStackUrls & { readonly logFile: string };
  }
}

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const START_TIMEOUT_MS = 150_000;

function waitForReady(child: ChildProcess): Promise<LocalStackUrls> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('local stack did not start in time')), START_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      for (const line of buffered.split('\n')) {
        if (line.startsWith('{"ready":')) {
          clearTimeout(timer);
          resolve((JSON.parse(line) as { ready: LocalStackUrls }).ready);
        }
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited early with code ${code}`));
    });
  });
}

export default async function setup(project: TestProject) {
  const stateDir = await mkdtemp(join(tmpdir(), 'dsar-local-'));
  const logFile = join(stateDir, 'pipeline.log');
  const log = createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'local/start.ts',
      '--json-ready',
      '--port',
      '0',
      '--smtp-port',
      '0',
      '--state-dir',
      stateDir,
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    },
  );
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const urls = await waitForReady(child);
  project.provide('stack', { ...urls, logFile });

  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    log.end();
  };
}
