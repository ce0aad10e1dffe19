import { describe, expect, it } from 'vitest';
import { getRequestDetail } from '../../../../app/console/request-detail';
import { SupervisorRequired } from '../../../../domain/console/errors';
import { EMAIL } from '../../console/builders';
import { AGENT, consolePorts, given, SUPERVISOR } from './fixture';

const ID = 'dsr-00000000-0000-4000-8000-000000000001';

describe('request detail', () => {
  it('shows the request masked with its timeline and the clock as of the injected today, writing nothing', async () => {
    const ports = consolePorts();
    await given(ports.requests);
    const detail = await getRequestDetail(ports, AGENT, ID, false);
    expect(detail.identifiers[0]).toMatchObject({ masked: EMAIL.masked });
    expect(detail.identifiers[0]).not.toHaveProperty('value');
    expect(detail.timeline.map((event) => event.type)).toEqual(['request-received']);
    expect(detail.auditTrail).toMatchObject({ intact: true });
    expect(await ports.requests.trail(ID)).toHaveLength(1);
  });

  it('writes the reveal to the trail before showing identifiers in clear', async () => {
    const ports = consolePorts();
    await given(ports.requests);
    const detail = await getRequestDetail(ports, SUPERVISOR, ID, true);
    expect(detail.identifiers[0]).toMatchObject({ value: EMAIL.value });
    expect(detail.timeline.at(-1)).toMatchObject({
      type: 'identifiers-revealed',
      actor: SUPERVISOR.actor,
      at: '2025-03-10T02:00:00.000Z',
      details: { identifiers: [EMAIL.masked] },
    });
  });

  it('refuses an agent a reveal, writing nothing', async () => {
    const ports = consolePorts();
    await given(ports.requests);
    await expect(getRequestDetail(ports, AGENT, ID, true)).rejects.toThrow(SupervisorRequired);
    expect(await ports.requests.trail(ID)).toHaveLength(1);
  });
});
