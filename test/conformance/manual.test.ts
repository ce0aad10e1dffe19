import { beforeEach, describe, expect, it } from 'vitest';
import type { CorrectedField, FieldChange, SubjectIdentity } from '../../connectors/contract';
import { createConnector } from '../../connectors/factory';
import {
  type AgentOutcome,
  ManualConnector,
  type ManualStoreDefinition,
  type ManualTask,
  type ManualTaskLog,
  ManualTaskPending,
} from '../../connectors/manual/manual-connector';
import { StoreDefinitionSchema } from '../../domain/stores/schema';
import { DEMO_PEOPLE, type DemoPerson } from '../../local/demo/organisation';
// The demo organisation has no manual store (so the local demo completes unattended); this is an example one.
import paperArchiveJson from '../fixtures/stores/paper-archive.json' with { type: 'json' };
import { describeConnectorConformance } from './suite';

const PAPER_ARCHIVE = StoreDefinitionSchema.parse(paperArchiveJson) as ManualStoreDefinition;
const [LI_LEI, HAN_MEIMEI] = DEMO_PEOPLE as [DemoPerson, DemoPerson, ...DemoPerson[]];

interface PaperForm {
  readonly formId: string;
  readonly phone: string;
  readonly signedOn: string;
}

/** The archive cabinet: paper forms per person, which only the (simulated) agent touches. */
class PaperArchive {
  private forms = new Map<string, PaperForm[]>();

  reseed(people: readonly DemoPerson[]): void {
    for (const person of people) {
      this.forms.set(person.email, [
        { formId: `form-${person.accountId}-a`, phone: person.phone, signedOn: '2023-04-01' },
        { formId: `form-${person.accountId}-b`, phone: person.phone, signedOn: '2024-09-12' },
      ]);
    }
  }

  formsOf(identity: SubjectIdentity): PaperForm[] {
    return identity.email === undefined ? [] : (this.forms.get(identity.email) ?? []);
  }

  /** Writes each change on every form of the subject, noting what the form said before. */
  correct(identity: SubjectIdentity, changes: readonly FieldChange[]): CorrectedField[] {
    const corrected: CorrectedField[] = [];
    const forms = this.formsOf(identity).map((form) => {
      let next: Record<string, unknown> = { ...form };
      for (const change of changes) {
        const before = next[change.field];
        corrected.push({
          recordKey: form.formId,
          category: change.category,
          field: change.field,
          before,
          after: change.value,
          changed: before !== change.value,
        });
        next = { ...next, [change.field]: change.value };
      }
      return next as unknown as PaperForm;
    });
    if (identity.email !== undefined && forms.length > 0) this.forms.set(identity.email, forms);
    return corrected;
  }

  shred(identity: SubjectIdentity): number {
    const forms = this.formsOf(identity);
    if (identity.email !== undefined) this.forms.set(identity.email, []);
    return forms.length;
  }
}

/** A task log like the console's, in memory, with tasks and outcomes recorded by id. */
class InMemoryTaskLog implements ManualTaskLog {
  readonly tasks = new Map<string, ManualTask>();
  readonly outcomes = new Map<string, AgentOutcome>();

  async open(task: ManualTask): Promise<void> {
    if (!this.tasks.has(task.taskId)) this.tasks.set(task.taskId, task);
  }

  async outcome(taskId: string): Promise<AgentOutcome | undefined> {
    return this.outcomes.get(taskId);
  }

  openTasks(): ManualTask[] {
    return [...this.tasks.values()].filter((task) => !this.outcomes.has(task.taskId));
  }
}

/** What an agent does at the cabinet for each open task of the given actions. */
function actAsAgent(log: InMemoryTaskLog, archive: PaperArchive, actions: readonly ManualTask['action'][]) {
  for (const task of log.openTasks().filter((open) => actions.includes(open.action))) {
    const forms = archive.formsOf(task.identity);
    const outcome: AgentOutcome =
      task.action === 'correct'
        ? { action: 'correct', records: archive.correct(task.identity, task.changes ?? []) }
        : task.action === 'search'
          ? { action: 'search', found: forms.length }
          : task.action === 'export'
            ? {
                action: 'export',
                records: forms.map((form) => ({
                  recordKey: form.formId,
                  category: 'paper-forms',
                  data: { ...form },
                })),
              }
            : {
                action: 'erase',
                deleted: archive.shred(task.identity),
                anonymised: 0,
                retained: 0,
                retainedBases: [],
                remaining: 0,
              };
    log.outcomes.set(task.taskId, outcome);
  }
}

/** An agent who answers searches and export requests at once, and shreds when the test says so. */
class PromptAgentLog extends InMemoryTaskLog {
  constructor(private readonly archive: PaperArchive) {
    super();
  }

  override async open(task: ManualTask): Promise<void> {
    await super.open(task);
    actAsAgent(this, this.archive, ['search', 'export']);
  }
}

const identityOf = (person: DemoPerson) => ({ accountId: person.accountId, email: person.email });

describeConnectorConformance('manual', async () => {
  const archive = new PaperArchive();
  let log = new PromptAgentLog(archive);
  const connector = new ManualConnector(PAPER_ARCHIVE, {
    open: (task) => log.open(task),
    outcome: (taskId) => log.outcome(taskId),
  });
  return {
    connector,
    subject: identityOf(LI_LEI),
    otherSubject: identityOf(HAN_MEIMEI),
    reseed: async () => {
      archive.reseed([LI_LEI, HAN_MEIMEI]);
      // A fresh scenario: searches recorded for an earlier state of the cabinet do not carry over.
      log = new PromptAgentLog(archive);
    },
    readRaw: async (identity) => JSON.stringify(archive.formsOf(identity)),
    completePendingWork: async () => actAsAgent(log, archive, ['erase', 'correct']),
    correction: {
      changes: [{ category: 'paper-forms', field: 'phone', value: '+8613800138999' }],
      // Two forms, each with the old number.
      changed: 2,
      notAllowed: { category: 'paper-forms', field: 'signedOn', value: '2020-01-01' },
    },
    expected: {
      found: 2,
      exported: 2,
      // erase only opens the task; the agent's shredding shows in verifyErasure.
      erased: { deleted: 0, anonymised: 0, retained: 0 },
      afterErasure: { anonymised: 0, retained: 0, retainedBases: [] },
    },
    faults: {
      skip:
        'a manual store has no store the connector reaches: the records are on paper and only an agent ' +
        'touches them; the connector writes tasks to the console task log, whose faults are the pipeline store faults',
    },
  };
});

describe('manual connector', () => {
  let archive: PaperArchive;
  let log: InMemoryTaskLog;
  let connector: ManualConnector;
  const context = { requestId: 'req-manual-1', hmacKey: 'k', now: '2026-06-01T00:00:00Z' };

  beforeEach(() => {
    archive = new PaperArchive();
    archive.reseed([LI_LEI, HAN_MEIMEI]);
    log = new InMemoryTaskLog();
    connector = new ManualConnector(PAPER_ARCHIVE, log);
  });

  it('opens one erasure task per request and says it is waiting for an agent, with the instructions', async () => {
    const first = await connector.erase(identityOf(LI_LEI), context);
    const second = await connector.erase(identityOf(LI_LEI), context);
    expect(first).toMatchObject({
      status: 'waiting-for-agent',
      taskId: 'paper-archive:erase:req-manual-1',
      instructions: PAPER_ARCHIVE.manual.instructions,
      timeoutHours: 72,
      deleted: 0,
    });
    expect(second).toEqual(first);
    expect([...log.tasks.values()]).toEqual([
      expect.objectContaining({ action: 'erase', requestId: 'req-manual-1', identity: identityOf(LI_LEI) }),
    ]);
  });

  it('signals a pending erasure by throwing ManualTaskPending from verification, then reports what the agent recorded', async () => {
    await connector.erase(identityOf(LI_LEI), context);
    const pending = connector.verifyErasure(identityOf(LI_LEI), context);
    await expect(pending).rejects.toBeInstanceOf(ManualTaskPending);
    await expect(pending).rejects.toMatchObject({
      name: 'ManualTaskPending',
      storeId: 'paper-archive',
      action: 'erase',
      timeoutHours: 72,
    });

    actAsAgent(log, archive, ['erase']);
    expect(await connector.erase(identityOf(LI_LEI), context)).toMatchObject({ status: 'recorded-by-agent' });
    expect(await connector.verifyErasure(identityOf(LI_LEI), context)).toEqual({
      remaining: 0,
      anonymised: 0,
      retained: 0,
      retainedBases: [],
    });
    expect(log.outcomes.get('paper-archive:erase:req-manual-1')).toMatchObject({ deleted: 2 });
  });

  it.each([
    ['find', (c: ManualConnector) => c.find(identityOf(LI_LEI))],
    [
      'export',
      async (c: ManualConnector) => {
        for await (const _record of c.export(identityOf(LI_LEI))) return;
      },
    ],
  ])('makes %s wait for the agent, without naming the subject in the error', async (_what, run) => {
    const error = await run(connector).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ManualTaskPending);
    const message = (error as Error).message;
    for (const value of Object.values(identityOf(LI_LEI))) expect(message).not.toContain(value);
  });

  it('reports the agent recorded search and export once they are done', async () => {
    await connector.find(identityOf(LI_LEI)).catch(() => {});
    await (async () => {
      for await (const _record of connector.export(identityOf(LI_LEI))) return;
    })().catch(() => {});
    actAsAgent(log, archive, ['search', 'export']);
    expect(await connector.find(identityOf(LI_LEI))).toEqual({ count: 2, resolved: {} });
    const exported = [];
    for await (const record of connector.export(identityOf(LI_LEI))) exported.push(record);
    expect(exported.map((record) => [record.category, record.recordKey])).toEqual([
      ['paper-forms', 'form-u-1001-a'],
      ['paper-forms', 'form-u-1001-b'],
    ]);
  });

  it('opens no task for a subject without identifiers', async () => {
    expect(await connector.find({})).toEqual({ count: 0, resolved: {} });
    expect(await connector.verifyErasure({}, context)).toMatchObject({ remaining: 0 });
    expect(log.tasks.size).toBe(0);
  });

  it('is made by the connector factory only when given the console task log', () => {
    expect(() => createConnector(PAPER_ARCHIVE, {})).toThrow(
      expect.objectContaining({ name: 'MissingConnectorDependency' }),
    );
    expect(createConnector(PAPER_ARCHIVE, { manualTasks: log })).toBeInstanceOf(ManualConnector);
  });
});
