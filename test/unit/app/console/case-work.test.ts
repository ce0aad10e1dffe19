import { describe, expect, it } from 'vitest';
import { assignTo, flagRepeatRequest, noteOnRequest } from '../../../../app/console/case-work';
import { AGENT, consolePorts, given, RacedRepository, SUPERVISOR } from './fixture';

const ID = 'dsr-00000000-0000-4000-8000-000000000001';

describe('case work', () => {
  it('writes a note with its note-added event, stamped by the injected clock', async () => {
    const ports = consolePorts();
    await given(ports.requests);
    expect(await noteOnRequest(ports, AGENT, ID, 'Called back, no answer')).toEqual({
      requestId: ID,
      notes: 1,
    });
    const trail = await ports.requests.trail(ID);
    expect(trail.at(-1)).toMatchObject({
      type: 'note-added',
      actor: AGENT.actor,
      at: '2025-03-10T02:00:00.000Z',
    });
    expect((await ports.requests.get(ID)).notes).toHaveLength(1);
  });

  it('decides again on the stored request when another note was written first', async () => {
    const ports = { ...consolePorts(), requests: new RacedRepository() };
    await given(ports.requests);
    ports.requests.raceOnce(async () => {
      await noteOnRequest(ports, SUPERVISOR, ID, 'First');
    });
    expect(await noteOnRequest(ports, AGENT, ID, 'Second thoughts')).toEqual({ requestId: ID, notes: 2 });
    expect((await ports.requests.trail(ID)).map((event) => event.type)).toEqual([
      'request-received',
      'note-added',
      'note-added',
    ]);
    expect((await ports.requests.get(ID)).notes?.map((note) => note.by)).toEqual(['sam', 'alice']);
  });

  it('lets an agent claim an unassigned request and a supervisor reassign it', async () => {
    const ports = consolePorts();
    await given(ports.requests);
    expect(await assignTo(ports, AGENT, ID, 'alice')).toEqual({ requestId: ID, assignee: 'alice' });
    expect(await assignTo(ports, SUPERVISOR, ID, 'bob')).toEqual({ requestId: ID, assignee: 'bob' });
    expect((await ports.requests.trail(ID)).filter((event) => event.type === 'assigned')).toHaveLength(2);
  });

  it("counts the subject's earlier requests from the repository when flagging a repeat", async () => {
    const ports = consolePorts();
    await given(ports.requests, {
      requestId: 'dsr-00000000-0000-4000-8000-000000000000',
      receivedAt: '2025-01-06T01:00:00.000Z',
      status: 'fulfilled',
    });
    await given(ports.requests);
    const answer = await flagRepeatRequest(ports, AGENT, ID, {
      manifestlyExcessive: false,
      chargeFee: false,
    });
    expect(answer.repeat).toMatchObject({ earlierInPeriod: 1, by: 'alice' });
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({ type: 'repeat-flagged' });
  });
});
