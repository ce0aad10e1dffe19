import { describe, expect, it } from 'vitest';
import { MemoryDownloadLinks } from '../../../../adapters/memory/memory-download-links';
import { revokeDownloadLinks } from '../../../../app/console/download-links';
import { RequestNotFound } from '../../../../app/request-writes';
import { AGENT, consolePorts, given } from './fixture';

const ID = 'dsr-00000000-0000-4000-8000-000000000001';

function linkPorts() {
  const ports = consolePorts('2025-03-10T02:00:00.000Z');
  return { ...ports, links: new MemoryDownloadLinks(ports.requests) };
}

describe('revoking download links', () => {
  it('revokes every live link of the request, each audited with the agent and the reason', async () => {
    const ports = linkPorts();
    await given(ports.requests);
    ports.links.add(ID, 'link-a', '2025-03-12T00:00:00.000Z');
    ports.links.add(ID, 'link-b', '2025-03-15T00:00:00.000Z');
    const result = await revokeDownloadLinks(ports, AGENT, ID, 'sent to a wrong address');
    expect(result).toEqual({ requestId: ID, revoked: 2, linkIds: ['link-a', 'link-b'] });
    const revocations = (await ports.requests.trail(ID)).filter((e) => e.type === 'download-link-revoked');
    expect(revocations).toMatchObject([
      {
        actor: AGENT.actor,
        at: '2025-03-10T02:00:00.000Z',
        details: { linkId: 'link-a', reason: 'sent to a wrong address' },
      },
      { actor: AGENT.actor, details: { linkId: 'link-b' } },
    ]);
  });

  it('leaves expired links and other requests’ links alone', async () => {
    const ports = linkPorts();
    await given(ports.requests);
    ports.links.add(ID, 'expired', '2025-03-10T01:59:59.000Z');
    ports.links.add('dsr-00000000-0000-4000-8000-000000000002', 'other', '2025-03-12T00:00:00.000Z');
    expect(await revokeDownloadLinks(ports, AGENT, ID)).toEqual({ requestId: ID, revoked: 0, linkIds: [] });
    expect(ports.links.links.every((link) => link.revokedAt === undefined)).toBe(true);
  });

  it('changes nothing the second time: no live link is left', async () => {
    const ports = linkPorts();
    await given(ports.requests);
    ports.links.add(ID, 'link-a', '2025-03-12T00:00:00.000Z');
    await revokeDownloadLinks(ports, AGENT, ID);
    const trail = await ports.requests.trail(ID);
    expect(await revokeDownloadLinks(ports, AGENT, ID)).toMatchObject({ revoked: 0 });
    expect(await ports.requests.trail(ID)).toEqual(trail);
  });

  it('answers an unknown request as not found before looking at any link', async () => {
    const ports = linkPorts();
    ports.links.add(ID, 'link-a', '2025-03-12T00:00:00.000Z');
    await expect(revokeDownloadLinks(ports, AGENT, ID)).rejects.toThrow(RequestNotFound);
    expect(ports.links.links[0]?.revokedAt).toBeUndefined();
  });
});
