/** Runs `node bin/dsar.js` in a child process, exactly as `npx dsar` does. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/dsar.js', import.meta.url));

export interface DsarRun {
  status: number;
  stdout: string;
  stderr: string;
}

export function runDsar(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<DsarRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...env }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ status: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

/**
 * Runs the same command line in this process through `runCli` with captured output: what the commands
 * print and exit with, without a Node start and a TypeScript compile per call. The binary itself is
 * exercised by runDsar (dsar.test.ts keeps one such test, time-zones.test.ts needs a process per zone).
 */
export async function runDsarInProcess(args: readonly string[]): Promise<DsarRun> {
  const { runCli } = await import('../../../cli/main');
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { status, stdout, stderr };
}
