/**
 * Starts the local pipeline exactly as a user does (`local/start.ts` in its
 * own process) in a given state directory, with everything it prints kept in
 * a log file. The global setup starts the run's shared stack this way; a test
 * that must move the clock of the whole stack (the timer sweep) starts its own.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalStackUrls } from '../../../local/stack';
import { TEST_ORGANISATION_ENV } from './organisation';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const START_TIMEOUT_MS = 150_000;

export interface StackProcess {
  readonly urls: LocalStackUrls & { readonly logFile: string };
  stop(): Promise<void>;
}

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

/**
 * Starts `local/start.ts` on free ports in `stateDir`, as the tests' organisation (./organisation.ts);
 * `env` is added to this process's environment and wins.
 */
export async function startStackProcess(
  stateDir: string,
  env: Record<string, string> = {},
): Promise<StackProcess> {
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
      env: { ...process.env, ...TEST_ORGANISATION_ENV, ...env },
    },
  );
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    log.end();
  };
  try {
    const urls = await waitForReady(child);
    return { urls: { ...urls, logFile }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
