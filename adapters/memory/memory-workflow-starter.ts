/** The WorkflowStarter port in memory: remembers the requests whose fulfilment was started, in order. */
import type { WorkflowStarter } from '../../app/ports';

export class MemoryWorkflowStarter implements WorkflowStarter {
  readonly started: string[] = [];
  /** The execution of each start, in the same order: named after the request unless a redrive named its own. */
  readonly executions: string[] = [];
  async start(requestId: string, executionName = requestId): Promise<void> {
    this.started.push(requestId);
    this.executions.push(executionName);
  }
}
