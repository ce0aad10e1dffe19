import { describe, expect, it } from 'vitest';
import { zipArchiver } from '../../../../adapters/net/zip-archive';
import { evidencePack } from '../../../../app/console/evidence-pack';
import { EMAIL } from '../../console/builders';
import { demoStores } from '../fulfilment/support';
import { consolePorts, given, SUPERVISOR } from './fixture';
import { readZip } from './read-zip';

const ID = 'dsr-00000000-0000-4000-8000-000000000001';

describe('evidence pack', () => {
  it('zips the pack, auditing the download on the trail first, with masked identifiers only', async () => {
    const ports = consolePorts();
    await given(ports.requests, { extras: { requester: { role: 'self', name: 'Li Leiming' } } });
    const deps = { ...ports, stores: demoStores, archiver: zipArchiver };
    const pack = await evidencePack(deps, SUPERVISOR, ID);

    expect(pack.fileName).toBe(`evidence-${ID}-2025-03-10.zip`);
    const trail = await ports.requests.trail(ID);
    expect(trail.at(-1)).toMatchObject({
      type: 'evidence-pack-downloaded',
      actor: SUPERVISOR.actor,
      at: '2025-03-10T02:00:00.000Z',
    });
    const entries = readZip(pack.zip);
    expect([...entries.keys()]).toEqual(['summary.html', 'evidence.json', 'trail.jsonl']);
    expect(entries.get('trail.jsonl')?.trim().split('\n')).toHaveLength(2);
    const json = JSON.parse(entries.get('evidence.json')!);
    expect(json.trailVerdict).toMatchObject({ intact: true, events: 2 });
    expect(json.clock.calendar.id).toBe('cn-state-council');
    for (const [name, text] of entries) {
      expect(text, name).not.toContain(EMAIL.value);
      expect(text, name).not.toContain('Li Leiming');
    }
  });
});
