/**
 * Durable execution records for the local Step Functions service, one JSON
 * file per execution under `<stateDir>/stepfunctions/executions/<machine>/`.
 *
 * Each write goes to a temporary file that is then renamed over the record,
 * so a crash leaves either the old or the new record, never a torn one.
 * Writes for one execution are queued in order, so a fast execution's final
 * record can never be overtaken by its own RUNNING record.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** The shape of an AWS GetExecutionHistory event (camel-cased details, epoch-millisecond timestamp). */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly name: string;
  status: ExecutionStatus;
  /** The input exactly as given to StartExecution (compared verbatim for idempotent starts). */
  readonly input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** ISO 8601. */
  readonly startDate: string;
  stopDate?: string;
  /** State transitions in all runs of this execution, restarts included. */
  stateTransitions: number;
  /** How many times local mode restarted this execution after finding it RUNNING at start-up. */
  restarts: number;
  /** History of the latest run only. */
  history: HistoryEvent[];
}

export class ExecutionStore {
  private readonly root: string;
  private readonly writes = new Map<string, Promise<void>>();
  private temporaryFileCounter = 0;

  constructor(stateDir: string) {
    this.root = join(stateDir, 'stepfunctions', 'executions');
  }

  /** Every record on disk. */
  async loadAll(): Promise<ExecutionRecord[]> {
    await mkdir(this.root, { recursive: true });
    const records: ExecutionRecord[] = [];
    for (const machineDir of await readdir(this.root, { withFileTypes: true })) {
      if (!machineDir.isDirectory()) continue;
      const dir = join(this.root, machineDir.name);
      for (const file of await readdir(dir)) {
        if (!file.endsWith('.json')) continue;
        records.push(JSON.parse(await readFile(join(dir, file), 'utf8')) as ExecutionRecord);
      }
    }
    return records;
  }

  /** Persists a snapshot of `record` as it is now; resolves once it is on disk. */
  save(record: ExecutionRecord): Promise<void> {
    const snapshot = JSON.stringify(record, null, 2);
    const dir = join(this.root, encodeURIComponent(record.stateMachineName));
    const file = join(dir, `${encodeURIComponent(record.name)}.json`);
    const temporaryFile = `${file}.${process.pid}.${++this.temporaryFileCounter}.tmp`;
    const previous = this.writes.get(file) ?? Promise.resolve();
    const write = previous.then(async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(temporaryFile, snapshot);
      await rename(temporaryFile, file);
    });
    const settled = write.catch(() => undefined);
    this.writes.set(file, settled);
    void settled.then(() => {
      if (this.writes.get(file) === settled) this.writes.delete(file);
    });
    return write;
  }

  /** Resolves once every write queued so far has finished. */
  async flush(): Promise<void> {
    await Promise.all(this.writes.values());
  }
}
