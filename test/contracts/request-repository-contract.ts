/**
 * What every RequestRepository must do, run on the in-memory adapter (test/unit/app) and on DynamoDB
 * Local (test/local/storage), so the fast unit tests of use cases stand for the real store.
 */
import { describe, expect, it } from 'vitest';
import type { RequestListFilter, RequestListPage, RequestRepository } from '../../app/ports';
import { InvalidCursor } from '../../app/request-list';
import { RequestNotFound, StaleRequest } from '../../app/request-writes';
import { verifyChain } from '../../domain/audit';
import type { PlainDate } from '../../domain/clock';
import { aRequest } from '../unit/console/builders';

const at = '2026-01-05T02:00:00.000Z';
const system = { kind: 'system', id: 'contract' } as const;
const day = (text: string) => text as PlainDate;

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
      // Signed with the trail key as it was written (app/request-writes.ts signPlan).
      expect(trail[0]!.mac).toMatch(/^[A-Za-z0-9+/]{43}=$/);
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

    it('reads every request, open or closed, with only what a report counts', async () => {
      // A receipt instant no other test uses, to find this test's requests among the others.
      const receivedAt = new Date(Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 1e11)).toISOString();
      await repository().create(draft(unique('report'), { receivedAt }), []);
      await repository().create(draft(unique('report'), { receivedAt, status: 'refused' }), []);
      const mine = (await repository().reportRecords()).filter((record) => record.receivedAt === receivedAt);
      expect(mine.map((record) => record.status).sort()).toEqual(['refused', 'verified']);
      const counted = ['policyId', 'channel', 'status', 'receivedAt', 'closedAt', 'pausedSince', 'breach'];
      for (const record of mine) {
        expect(Object.keys(record).filter((key) => !counted.includes(key))).toEqual(['deadline']);
        expect(record.deadline).toEqual({ dueDate: aRequest().deadline.dueDate });
      }
    });

    describe('the console list', () => {
      /** Every page of a listing, from `from` if given. */
      async function pagesOf(filter: RequestListFilter, pageSize: number, from?: string) {
        const pages: RequestListPage[] = [];
        const listing = repository().listRequests(filter, { pageSize, ...(from ? { from } : {}) });
        for await (const page of listing) pages.push(page);
        return pages;
      }
      const idsOf = (pages: readonly RequestListPage[]) =>
        pages.flatMap((page) => page.records.map((record) => record.requestId));

      /** One agent's requests (the assignee keeps them apart from every other test's), created once. */
      let seeded: Promise<{ assignee: string; ids: Record<string, string> }> | undefined;
      function seed() {
        seeded ??= (async () => {
          const assignee = unique('lister');
          const ids: Record<string, string> = {};
          const due = (label: string, dueDate: string, overrides: Record<string, unknown> = {}) => {
            ids[label] = unique(label);
            return repository().create(
              draft(ids[label]!, { assignee, deadline: { ...aRequest().deadline, dueDate }, ...overrides }),
              [],
            );
          };
          await due('march', '2099-03-01');
          await due('january', '2099-01-01');
          await due('february', '2099-02-01');
          await due('deletion', '2099-02-15', { type: 'deletion' });
          await due('paused', '2098-12-01', { pausedSince: '2098-11-20' });
          await due('refused', '2099-01-15', { status: 'refused' });
          return { assignee, ids };
        })();
        return seeded;
      }

      it('lists open requests in due-date order from its index, a page at a time, and goes on from a cursor', async () => {
        const { assignee, ids } = await seed();
        const filter = { assignee, today: day('2099-06-01') };
        const pages = await pagesOf(filter, 2);
        expect(pages.every((page) => page.records.length <= 2)).toBe(true);
        const order = [ids.paused, ids.january, ids.february, ids.deletion, ids.march];
        expect(idsOf(pages)).toEqual(order);
        const at = pages.findIndex((page) =>
          page.records.some((record) => record.requestId === ids.february),
        );
        const cursor = pages[at]!.cursor;
        expect(cursor).toBeDefined();
        expect(idsOf(await pagesOf(filter, 2, cursor))).toEqual(idsOf(pages.slice(at + 1)));
      });

      it('reads one status from the status index, and keeps to type, due-before and overdue (never a stopped clock)', async () => {
        const { assignee, ids } = await seed();
        const today = day('2099-02-01');
        expect(idsOf(await pagesOf({ assignee, today, status: 'refused' }, 10))).toEqual([ids.refused]);
        expect(idsOf(await pagesOf({ assignee, today, type: 'deletion' }, 10))).toEqual([ids.deletion]);
        expect(idsOf(await pagesOf({ assignee, today, dueBefore: day('2099-02-15') }, 10))).toEqual([
          ids.paused,
          ids.january,
          ids.february,
        ]);
        expect(idsOf(await pagesOf({ assignee, today, overdue: true }, 10))).toEqual([ids.january]);
        expect(idsOf(await pagesOf({ assignee, today, overdue: false }, 10))).toEqual([
          ids.february,
          ids.deletion,
          ids.march,
        ]);
        expect(idsOf(await pagesOf({ assignee, today, overdue: false, dueBefore: today }, 10))).toEqual([]);
      });

      it('refuses a cursor it did not give out, and a cursor of another listing', async () => {
        const { assignee } = await seed();
        const [first] = await pagesOf({ assignee, today: day('2099-06-01') }, 1);
        expect(first?.cursor).toBeDefined();
        await expect(
          pagesOf({ assignee, today: day('2099-06-01'), status: 'refused' }, 1, first?.cursor),
        ).rejects.toBeInstanceOf(InvalidCursor);
        await expect(pagesOf({ today: day('2099-06-01') }, 1, 'bm90LWEtY3Vyc29y')).rejects.toBeInstanceOf(
          InvalidCursor,
        );
      });
    });
  });
}
