/**
 * Child processes that die with the Node process that started them.
 *
 * Why it exists: DynamoDB Local is a JVM and the S3 server runs in its own
 * Node process. A developer who presses Ctrl-C on `npm start`, or a test run
 * that is killed, must never leave those behind holding ports and database
 * files. Two mechanisms cover this:
 *  - here, on 'exit', SIGINT and SIGTERM every registered child is sent
 *    SIGTERM; after a signal, when no one else listens for it, the signal is
 *    raised again so the process still ends the way the default handler would;
 *  - in each child, a watchdog on its end of a pipe (stdin for the JVM, the IPC
 *    channel for Node) that exits when the pipe closes, which also covers the
 *    parent dying by SIGKILL, where no handler runs.
 */
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let installed = false;

function terminateAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
  children.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  terminateAll();
  if (process.listenerCount(signal) === 1) {
    uninstall();
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', terminateAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', terminateAll);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/** Registers `child` to be terminated when this process exits or is interrupted. */
export function terminateWithParent(child: ChildProcess): void {
  children.add(child);
  install();
  const forget = () => {
    children.delete(child);
    if (children.size === 0) uninstall();
  };
  child.once('exit', forget);
  // A child that could not be spawned (no pid) emits 'error' and may never emit 'exit'.
  child.once('error', () => {
    if (child.pid === undefined) forget();
  });
}

/**
 * Sends SIGTERM and waits for the child to exit; after `graceMs` it is killed
 * with SIGKILL, so `stop()` always returns.
 */
export async function terminateChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
