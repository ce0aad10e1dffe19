/** The WorkflowStarter port in memory: remembers the requests whose fulfilment was started, in order. */
import type { WorkflowStarter } from '../../app/ports';

export class MemoryWorkflowStarter implements WorkflowStarter {
  readonly started: string[] = [];
  async start(requestId: string): Promise<void> {
    this.started.push(requestId);
  }
}
