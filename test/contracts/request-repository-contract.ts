/**
 * What every RequestRepository must do, run on the in-memory adapter (test/unit/app) and on DynamoDB
 * Local (test/local/storage), so the fast unit tests of use cases stand for the real store.
 */
import { describe, expect, it } from 'vitest';
import type { RequestRepository } from '../../app/ports';
import { RequestNotFound, StaleRequest } from '../../app/request-writes';
import { verifyChain } from '../../domain/audit';
import { aRequest } from '../unit/console/builders';

const at = '2026-01-05T02:00:00.000Z';
const system = { kind: 'system', id: 'contract' } as const;

function draft(requestId: string, overrides: Record<string, unknown> = {}) {
  const { lastSeq: _s, lastHash: _h, version: _v, openShard: _o, dueSortKey: _d, ...rest } = aRequest();
  return { ...rest, requestId, ...overrides };
}

export function requestRepositoryContract(name: string, repository: () => RequestRepository): void {
  describe(`${name}: the request repository contract`, () => {
    const unique = (label: string) => `dsr-contract-${label}-${Math.random().toString(36).slice(2, 10)}`;

    it('stores a new request with its first events, chained, and refuses the same id twice', async () => {
      const id = unique('create');
      const created = await repository().create(draft(id), [{ type: 'request-received', actor: system, at }]);
      expect(created).toMatchObject({ requestId: id, version: 1, lastSeq: 1 });
      expect(await repository().get(id)).toEqual(created);
      const trail = await repository().trail(id);
      expect(trail).toHaveLength(1);
      expect(verifyChain(trail)).toMatchObject({ intact: true });
      await expect(repository().create(draft(id), [])).rejects.toBeInstanceOf(StaleRequest);
    });

    it('answers RequestNotFound for an id it does not hold', async () => {
      await expect(repository().get(unique('missing'))).rejects.toBeInstanceOf(RequestNotFound);
    });

    it('saves over the version it read, and refuses a stale copy without writing its events', async () => {
      const id = unique('save');
      const first = await repository().create(draft(id), []);
      const saved = await repository().save(first, { ...first, assignee: 'alice' }, [
        { type: 'note-added', actor: system, at },
      ]);
      expect(saved).toMatchObject({ version: 2, assignee: 'alice', lastSeq: 1 });
      await expect(repository().save(first, { ...first, assignee: 'bob' }, [])).rejects.toBeInstanceOf(
        StaleRequest,
      );
      expect((await repository().get(id)).assignee).toBe('alice');
      expect(await repository().trail(id)).toHaveLength(1);
    });

    it('decides again on a concurrent write, and writes nothing when the decision is "nothing to do"', async () => {
      const id = unique('mutate');
      await repository().create(draft(id), []);
      let decisions = 0;
      const results = await Promise.all(
        ['a', 'b', 'c'].map((note) =>
          repository().mutate(id, (current) => {
            decisions += 1;
            return {
              next: { ...current, notes: [...(current.notes ?? []), { by: note, at, text: note }] },
              events: [{ type: 'note-added', actor: system, at }],
            };
          }),
        ),
      );
      expect(decisions).toBeGreaterThanOrEqual(3);
      const stored = await repository().get(id);
      expect(stored.notes).toHaveLength(3);
      expect(Math.max(...results.map((record) => record.version))).toBe(4);
      expect(verifyChain(await repository().trail(id))).toMatchObject({ intact: true });
      expect(await repository().mutate(id, () => undefined)).toEqual(stored);
    });

    it('lists open requests in due-date order through the due-date index, a page at a time', async () => {
      const ids = [unique('open'), unique('open')];
      await repository().create(
        draft(ids[0]!, { deadline: { ...aRequest().deadline, dueDate: '2099-12-31' } }),
        [],
      );
      await repository().create(
        draft(ids[1]!, { deadline: { ...aRequest().deadline, dueDate: '2099-12-30' } }),
        [],
      );
      const seen: string[] = [];
      for await (const page of repository().openRequests(2)) {
        expect(page.length).toBeLessThanOrEqual(2);
        for (const record of page) if (ids.includes(record.requestId)) seen.push(record.requestId);
      }
      expect(seen).toEqual([ids[1], ids[0]]);
    });

    it("finds a subject's requests by its key since a day, and reads several at once", async () => {
      const subjectKey = unique('subject');
      const ids = [unique('subject'), unique('subject')];
      await repository().create(draft(ids[0]!, { subjectKey, receivedAt: '2026-01-01T00:00:00.000Z' }), []);
      await repository().create(draft(ids[1]!, { subjectKey, receivedAt: '2026-02-01T00:00:00.000Z' }), []);
      expect(await repository().subjectRequestIds(subjectKey, '2026-01-15T00:00:00.000Z')).toEqual([ids[1]]);
      const many = await repository().getMany([...ids, unique('absent')]);
      expect(many.map((record) => record.requestId).sort()).toEqual([...ids].sort());
    });
  });
}
