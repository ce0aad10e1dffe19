import { describe, expect, it } from 'vitest';
import { triage } from '../../../../app/console/triage';
import { InvalidDuplicateTarget } from '../../../../domain/console/errors';
import { aRequest } from '../../console/builders';
import { AGENT, consolePorts, given, store } from './fixture';

const ID = 'dsr-00000000-0000-4000-8000-000000000001';
const ORIGINAL = 'dsr-00000000-0000-4000-8000-0000000000aa';

function untyped() {
  const { type: _type, ...record } = aRequest({
    status: 'pending-verification',
    extras: { channel: 'email' },
  });
  return { ...record, needsTriage: true, triageCandidates: ['deletion' as const] };
}

describe('triage', () => {
  it('types an untyped email request and writes the change with its event', async () => {
    const ports = consolePorts();
    await store(ports.requests, untyped());
    const answer = await triage(ports, AGENT, ID, { action: 'set-type', type: 'deletion' });
    expect(answer).toEqual({
      requestId: ID,
      status: 'pending-verification',
      type: 'deletion',
      needsTriage: false,
    });
    expect((await ports.requests.trail(ID)).at(-1)).toMatchObject({ type: 'triaged', actor: AGENT.actor });
  });

  it('closes a duplicate and links both trails, the duplicate first', async () => {
    const ports = consolePorts();
    await given(ports.requests, { requestId: ORIGINAL });
    await store(ports.requests, untyped());
    const answer = await triage(ports, AGENT, ID, { action: 'merge', into: ORIGINAL });
    expect(answer).toEqual({ requestId: ID, status: 'cancelled', duplicateOf: ORIGINAL });
    expect((await ports.requests.trail(ORIGINAL)).at(-1)).toMatchObject({
      type: 'triaged',
      details: { action: 'duplicate-merged', duplicate: ID },
    });
  });

  it('refuses to merge into a request that does not exist, writing nothing', async () => {
    const ports = consolePorts();
    await store(ports.requests, untyped());
    await expect(triage(ports, AGENT, ID, { action: 'merge', into: ORIGINAL })).rejects.toThrow(
      InvalidDuplicateTarget,
    );
    expect(await ports.requests.trail(ID)).toHaveLength(1);
  });
});
