/**
 * The connector conformance suite: one function that every connector calls
 * against its REAL local store (DynamoDB Local, the S3 server, PostgreSQL,
 * the fake processor). The obligations are listed in connectors/README.md;
 * each is one `it` here, so a connector that breaks one fails by name.
 *
 * The suite only talks to the connector through `Connector`; the fixture
 * reads the store's raw data itself (`readRaw`) so that "byte-for-byte
 * unchanged" is judged outside the code under test.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AmbiguousSubjectError,
  type Connector,
  ConnectorTransientError,
  type CorrectionContext,
  type CorrectionOutcome,
  type ErasureContext,
  type ErasureOutcome,
  type ExportedRecord,
  type FieldChange,
  type RemainingData,
  type SubjectIdentity,
} from '../../connectors/contract';
import type { FaultProxy } from './support/fault-proxy';

export interface ConformanceExpectations {
  /** `find(subject).count`. */
  readonly found: number;
  /** Identifiers `find(subject)` must resolve (a subset check), e.g. `{ accountId: 'u-1001' }`. */
  readonly resolved?: SubjectIdentity;
  /** How many records `export(subject)` yields. */
  readonly exported: number;
  /** Counts of the first `erase(subject)`. */
  readonly erased: Pick<ErasureOutcome, 'deleted' | 'anonymised' | 'retained'>;
  /** `verifyErasure(subject)` after erasure; `remaining` is always expected to be 0. */
  readonly afterErasure: Pick<RemainingData, 'anonymised' | 'retained'> & {
    /** Legal bases reported for retained records (order does not matter). */
    readonly retainedBases?: readonly string[];
  };
}

export interface ConformanceFixture {
  readonly connector: Connector;
  /** The data subject of the test request, as verified (or resolved) identifiers. */
  readonly subject: SubjectIdentity;
  /** Another subject in the same store, whose data must never be found, exported or changed. */
  readonly otherSubject: SubjectIdentity;
  /** Puts both subjects' data back to its seeded state. Called before every obligation. */
  reseed(): Promise<void>;
  /**
   * The raw stored data of one subject, read directly from the store (not
   * through the connector), serialised deterministically (sorted keys, stable
   * record order): the suite compares these strings for "unchanged".
   */
  readRaw(identity: SubjectIdentity): Promise<string>;
  readonly expected: ConformanceExpectations;
  /** The instant erasure is judged at (retention periods). @default the current time */
  readonly now?: string;
  /**
   * Called after each `erase` and before `verifyErasure`, for stores where
   * someone else finishes the work asynchronously (a processor's callback, an
   * agent completing a manual task). Omit for stores erased synchronously.
   */
  completePendingWork?(): Promise<void>;
  /** A connector for the same store definition whose store cannot be reached; its health check must fail. */
  unreachableConnector?(): Connector;
  /** Stops what `setup` started. */
  teardown?(): Promise<void>;
  /** The correction obligations; omitted (skipped) for a store that declares nothing correctable. */
  readonly correction?: CorrectionFixture;
  /**
   * The fault obligations: the same store reached through a fault-injecting
   * proxy (./support/fault-proxy). A connector with no store of its own gives
   * `{ skip: '<why>' }` instead, and the obligations are skipped with that reason.
   */
  readonly faults: FaultFixture | { readonly skip: string };
  /**
   * Required of a connector whose store `resolves` identifiers: a second
   * subject seeded to share one of `subject`'s identifiers, so that a find by
   * that identifier matches two subjects. Ignored for stores that resolve nothing.
   */
  readonly ambiguity?: AmbiguityFixture;
}

export interface AmbiguityFixture {
  /** Stores a record of another subject sharing an identifier with `subject`; returns the identity to find by. */
  add(): Promise<SubjectIdentity>;
  /** Removes what `add` stored. */
  remove(): Promise<void>;
}

export interface FaultFixture {
  /** A connector for the same store definition that reaches the store through `proxy`. */
  readonly connector: Connector;
  readonly proxy: FaultProxy;
  /**
   * The connector's deadline for one call against a store that does not
   * answer (its configured timeouts, with its own retries): a slow store must
   * be reported within it, never waited on past it.
   */
  readonly deadlineMs: number;
  /**
   * What the store answers when it throttles, as raw bytes the proxy sends
   * (DynamoDB ThrottlingException, S3 SlowDown, HTTP 429, PostgreSQL 53300).
   */
  readonly throttled: string | Uint8Array;
}

export interface CorrectionFixture {
  /** Changes the store's allow-lists name, each different from the subject's seeded values. */
  readonly changes: readonly FieldChange[];
  /** How many fields the first `correct(subject)` reports changed (records × changes that apply). */
  readonly changed: number;
  /** A change no allow-list names: refused with FieldNotCorrectable before anything is written. */
  readonly notAllowed: FieldChange;
  /** For a store whose registry entry declares nothing correctable: the same store with an allow-list. */
  readonly connector?: Connector;
}

/** An identity that matches nobody in any store: finding by it must find nothing (never a scan). */
export const NOBODY: SubjectIdentity = {
  accountId: 'u-nobody-0000',
  email: 'nobody@example.invalid',
  phone: '+10000000000',
};

/** A connector failure the state machine retries, naming the store it could not reach. */
function expectTransientNaming(error: unknown, storeId: string): void {
  expect(error, 'a transient connector error').toBeInstanceOf(ConnectorTransientError);
  expect(error).toMatchObject({ name: 'ConnectorTransientError', storeId, retriable: true });
  expect((error as Error).message).toContain(storeId);
}

/** The error `call` fails with; a call that succeeds fails the test (a silent success is the bug). */
async function failure(call: () => Promise<unknown>, deadlineMs?: number): Promise<unknown> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    // Waits past the deadline only long enough to tell "late" from "hung".
    if (deadlineMs !== undefined) timer = setTimeout(() => resolve('hung'), deadlineMs + 5_000);
  });
  try {
    const outcome = await Promise.race([
      call().then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      hung,
    ]);
    if (outcome === 'hung') throw new Error(`the call was still running ${deadlineMs! + 5_000} ms later`);
    if (!('error' in outcome)) throw new Error('the call reported success while the store was failing');
    if (deadlineMs !== undefined) expect(Date.now() - started).toBeLessThanOrEqual(deadlineMs);
    return outcome.error;
  } finally {
    clearTimeout(timer);
  }
}

async function collect(records: AsyncIterable<ExportedRecord>): Promise<ExportedRecord[]> {
  const all: ExportedRecord[] = [];
  for await (const record of records) all.push(record);
  return all;
}

function identifierValues(identity: SubjectIdentity): string[] {
  return Object.values(identity).filter((value): value is string => typeof value === 'string');
}

/**
 * Registers the conformance obligations for one connector as a vitest
 * `describe` block. `setup` runs once (beforeAll) and may start servers;
 * `fixture.reseed()` runs before every obligation.
 */
export function describeConnectorConformance(name: string, setup: () => Promise<ConformanceFixture>): void {
  describe(`${name} connector conformance`, () => {
    let fixture: ConformanceFixture;

    const erasureContext = (): ErasureContext => ({
      requestId: `req-${randomUUID()}`,
      hmacKey: 'conformance-hmac-key',
      now: fixture.now ?? new Date().toISOString(),
    });

    const eraseAndComplete = async (context: ErasureContext) => {
      const outcome = await fixture.connector.erase(fixture.subject, context);
      await fixture.completePendingWork?.();
      return outcome;
    };

    beforeAll(async () => {
      fixture = await setup();
    });

    const correctionContext = (): CorrectionContext => ({
      requestId: `req-${randomUUID()}`,
      now: fixture.now ?? new Date().toISOString(),
    });

    /** Corrects; a store where someone else does the work is asked again once that work is done. */
    const correctAndComplete = async (
      correction: CorrectionFixture,
      context: CorrectionContext,
    ): Promise<CorrectionOutcome> => {
      const connector = correction.connector ?? fixture.connector;
      const outcome = await connector.correct(fixture.subject, correction.changes, context);
      if (outcome.status === 'applied') return outcome;
      await fixture.completePendingWork?.();
      return connector.correct(fixture.subject, correction.changes, context);
    };

    afterAll(async () => {
      await fixture?.teardown?.();
    });

    beforeEach(async () => {
      await fixture.reseed();
    });

    it('passes its health check', async () => {
      await expect(fixture.connector.healthCheck()).resolves.toBeUndefined();
    });

    it('fails its health check when the store cannot be reached', async (context) => {
      const unreachable = fixture.unreachableConnector?.();
      if (unreachable === undefined) return context.skip();
      await expect(unreachable.healthCheck()).rejects.toMatchObject({
        name: expect.stringMatching(/^Connector(Transient|Permanent)Error$/),
      });
    });

    it('finds the subject by the given identifiers and resolves identifiers for later stores', async () => {
      const { count, resolved } = await fixture.connector.find(fixture.subject);
      expect(count).toBe(fixture.expected.found);
      expect(resolved).toMatchObject(fixture.expected.resolved ?? {});
    });

    it('refuses, as an AmbiguousSubjectError naming the store, identifiers that match more than one subject', async (context) => {
      const store = fixture.connector.store;
      const resolves = store.resolves ?? [];
      if (resolves.length === 0) return context.skip('the store resolves no identifiers');
      const ambiguity = fixture.ambiguity;
      expect(ambiguity, 'a resolving connector gives an ambiguity fixture').toBeDefined();
      if (ambiguity === undefined) return;
      const identity = await ambiguity.add();
      try {
        const error = await failure(() => fixture.connector.find(identity));
        expect(error).toBeInstanceOf(AmbiguousSubjectError);
        expect(error).toMatchObject({ name: 'AmbiguousSubjectError', storeId: store.id, retriable: false });
        expect(resolves).toContain((error as AmbiguousSubjectError).identifier);
        // The values are personal data: the message names kinds and counts only.
        for (const value of identifierValues(identity)) expect((error as Error).message).not.toContain(value);
      } finally {
        await ambiguity.remove();
      }
      expect((await fixture.connector.find(fixture.subject)).resolved).toMatchObject(
        fixture.expected.resolved ?? {},
      );
    });

    it('finds nothing for identifiers that match nobody, and nothing for an empty identity', async () => {
      expect((await fixture.connector.find(NOBODY)).count).toBe(0);
      expect((await fixture.connector.find({})).count).toBe(0);
      expect(await collect(fixture.connector.export({}))).toEqual([]);
    });

    it('exports the subject records as an async iterable, with nothing of the other subject', async () => {
      const records = fixture.connector.export(fixture.subject);
      expect(typeof records[Symbol.asyncIterator]).toBe('function');
      const exported = await collect(records);
      expect(exported).toHaveLength(fixture.expected.exported);
      const otherValues = identifierValues(fixture.otherSubject).filter(
        (value) => !identifierValues(fixture.subject).includes(value),
      );
      for (const record of exported) {
        expect(record.storeId).toBe(fixture.connector.store.id);
        expect(fixture.connector.store.categories.map((category) => category.id)).toContain(record.category);
        const serialised = JSON.stringify(record);
        for (const value of otherValues) expect(serialised).not.toContain(value);
      }
      expect(new Set(exported.map((record) => `${record.category}#${record.recordKey}`)).size).toBe(
        exported.length,
      );
    });

    it('erases the subject so that verification finds 0 remaining, with the expected anonymised and retained counts', async () => {
      const context = erasureContext();
      const outcome = await eraseAndComplete(context);
      expect(outcome).toMatchObject(fixture.expected.erased);
      const remaining = await fixture.connector.verifyErasure(fixture.subject, context);
      expect(remaining.remaining).toBe(0);
      expect(remaining.anonymised).toBe(fixture.expected.afterErasure.anonymised);
      expect(remaining.retained).toBe(fixture.expected.afterErasure.retained);
      if (fixture.expected.afterErasure.retainedBases !== undefined) {
        expect([...remaining.retainedBases].sort()).toEqual(
          [...new Set(fixture.expected.afterErasure.retainedBases)].sort(),
        );
      }
    });

    it('erases idempotently: a second run of the same request changes nothing', async () => {
      const context = erasureContext();
      await eraseAndComplete(context);
      const afterFirst = await fixture.readRaw(fixture.subject);
      const verifiedFirst = await fixture.connector.verifyErasure(fixture.subject, context);
      const second = await eraseAndComplete(context);
      expect(second.deleted).toBe(0);
      expect(second.anonymised).toBe(0);
      expect(await fixture.readRaw(fixture.subject)).toBe(afterFirst);
      expect(await fixture.connector.verifyErasure(fixture.subject, context)).toEqual(verifiedFirst);
    });

    it('corrects only the allow-listed fields of the subject records, reporting before and after', async (context) => {
      const correction = fixture.correction;
      if (correction === undefined) return context.skip();
      const before = await fixture.readRaw(fixture.subject);
      const otherBefore = await fixture.readRaw(fixture.otherSubject);
      const outcome = await correctAndComplete(correction, correctionContext());
      expect(outcome.status).toBe('applied');
      expect(outcome.records.filter((record) => record.changed)).toHaveLength(correction.changed);
      for (const record of outcome.records) {
        const change = correction.changes.find(
          (candidate) => candidate.field === record.field && candidate.category === record.category,
        );
        expect(change).toBeDefined();
        expect(record.after).toEqual(change?.value);
        expect(record.before).not.toEqual(change?.value);
      }
      expect(await fixture.readRaw(fixture.subject)).not.toBe(before);
      expect(await fixture.readRaw(fixture.otherSubject)).toBe(otherBefore);
    });

    it('refuses a field no allow-list names, before writing anything', async (context) => {
      const correction = fixture.correction;
      if (correction === undefined) return context.skip();
      const connector = correction.connector ?? fixture.connector;
      const before = await fixture.readRaw(fixture.subject);
      await expect(
        connector.correct(
          fixture.subject,
          [...correction.changes, correction.notAllowed],
          correctionContext(),
        ),
      ).rejects.toMatchObject({ name: 'FieldNotCorrectable' });
      expect(await fixture.readRaw(fixture.subject)).toBe(before);
    });

    it('corrects idempotently: the same change again writes nothing and reports every field unchanged', async (context) => {
      const correction = fixture.correction;
      if (correction === undefined) return context.skip();
      await correctAndComplete(correction, correctionContext());
      const afterFirst = await fixture.readRaw(fixture.subject);
      const otherAfterFirst = await fixture.readRaw(fixture.otherSubject);
      const second = await correctAndComplete(correction, correctionContext());
      expect(second.status).toBe('applied');
      expect(second.records.length).toBeGreaterThan(0);
      expect(second.records.every((record) => !record.changed && record.before === record.after)).toBe(true);
      expect(await fixture.readRaw(fixture.subject)).toBe(afterFirst);
      expect(await fixture.readRaw(fixture.otherSubject)).toBe(otherAfterFirst);
    });

    it('corrects nobody for identifiers that match nobody, or an empty identity', async (context) => {
      const correction = fixture.correction;
      if (correction === undefined) return context.skip();
      const connector = correction.connector ?? fixture.connector;
      const otherBefore = await fixture.readRaw(fixture.otherSubject);
      for (const identity of [NOBODY, {}]) {
        const outcome = await connector.correct(identity, correction.changes, correctionContext());
        expect(outcome.records).toEqual([]);
      }
      expect(await fixture.readRaw(fixture.otherSubject)).toBe(otherBefore);
    });

    it('leaves the other subject data byte-for-byte unchanged through find, export and erasure', async () => {
      const before = await fixture.readRaw(fixture.otherSubject);
      expect(before.length).toBeGreaterThan(0);
      const context = erasureContext();
      await fixture.connector.find(fixture.subject);
      await collect(fixture.connector.export(fixture.subject));
      await eraseAndComplete(context);
      await eraseAndComplete(context);
      await fixture.connector.verifyErasure(fixture.subject, context);
      expect(await fixture.readRaw(fixture.otherSubject)).toBe(before);
    });

    describe('when the store fails', () => {
      let faults: FaultFixture;

      /** The fault fixture, or the test is skipped with the fixture's reason. */
      const given = (context: { skip: (note?: string) => void }): FaultFixture => {
        if ('skip' in fixture.faults) context.skip(fixture.faults.skip);
        return fixture.faults as FaultFixture;
      };

      beforeEach(() => {
        if (!('skip' in fixture.faults)) {
          faults = fixture.faults;
          faults.proxy.up();
        }
      });

      afterAll(() => {
        if (!('skip' in fixture.faults)) fixture.faults.proxy.up();
      });

      /** How many chunks a call exchanges with the store, measured on a second run (the first warms caches and pools). */
      const measure = async (call: () => Promise<unknown>): Promise<number> => {
        const before = faults.proxy.chunks;
        await call();
        return faults.proxy.chunks - before;
      };

      const eraseThroughProxy = async (context: ErasureContext) => {
        const outcome = await faults.connector.erase(fixture.subject, context);
        await fixture.completePendingWork?.();
        return outcome;
      };

      /** After a failed erasure and its retry: nothing of the subject remains, the other subject is untouched. */
      const expectErasedAfterRetry = async (context: ErasureContext, otherBefore: string) => {
        const remaining = await faults.connector.verifyErasure(fixture.subject, context);
        expect(remaining.remaining).toBe(0);
        expect(remaining.anonymised).toBe(fixture.expected.afterErasure.anonymised);
        expect(remaining.retained).toBe(fixture.expected.afterErasure.retained);
        expect(await fixture.readRaw(fixture.otherSubject)).toBe(otherBefore);
      };

      it('reports the store down before find as a transient error naming it, and finds the subject once it is back', async (context) => {
        const { connector, proxy } = given(context);
        await connector.find(fixture.subject);
        proxy.down();
        expectTransientNaming(await failure(() => connector.find(fixture.subject)), connector.store.id);
        proxy.up();
        expect((await connector.find(fixture.subject)).count).toBe(fixture.expected.found);
      });

      it('reports the store going down during export as a transient error, never a short export, and exports everything once it is back', async (context) => {
        const { connector, proxy } = given(context);
        await collect(connector.export(fixture.subject));
        const chunks = await measure(() => collect(connector.export(fixture.subject)));
        expect(chunks).toBeGreaterThanOrEqual(2);
        const cuts = proxy.cuts;
        proxy.cutAfter(Math.floor(chunks / 2));
        expectTransientNaming(
          await failure(() => collect(connector.export(fixture.subject))),
          connector.store.id,
        );
        expect(proxy.cuts).toBe(cuts + 1);
        proxy.up();
        expect(await collect(connector.export(fixture.subject))).toHaveLength(fixture.expected.exported);
      });

      it('reports the store going down during erase as a transient error, never a success, and erases fully when the step is retried', async (context) => {
        const { connector, proxy } = given(context);
        await eraseThroughProxy(erasureContext());
        await fixture.reseed();
        const chunks = await measure(() => eraseThroughProxy(erasureContext()));
        expect(chunks).toBeGreaterThanOrEqual(2);
        await fixture.reseed();
        const otherBefore = await fixture.readRaw(fixture.otherSubject);
        const erasure = erasureContext();
        const cuts = proxy.cuts;
        proxy.cutAfter(Math.floor(chunks / 2));
        expectTransientNaming(await failure(() => eraseThroughProxy(erasure)), connector.store.id);
        expect(proxy.cuts).toBe(cuts + 1);
        proxy.up();
        await eraseThroughProxy(erasure);
        await expectErasedAfterRetry(erasure, otherBefore);
      });

      it('reports a store slower than the connector deadline as a transient error within the deadline, and succeeds once it answers in time', async (context) => {
        const { connector, proxy, deadlineMs } = given(context);
        const otherBefore = await fixture.readRaw(fixture.otherSubject);
        await connector.find(fixture.subject);
        proxy.slow(deadlineMs + 1_000);
        expectTransientNaming(
          await failure(() => connector.find(fixture.subject), deadlineMs),
          connector.store.id,
        );
        const erasure = erasureContext();
        expectTransientNaming(
          await failure(() => eraseThroughProxy(erasure), deadlineMs),
          connector.store.id,
        );
        proxy.up();
        expect((await connector.find(fixture.subject)).count).toBe(fixture.expected.found);
        await eraseThroughProxy(erasure);
        await expectErasedAfterRetry(erasure, otherBefore);
      });

      it('reports throttling that outlasts its retries as a transient error, and succeeds once the store stops throttling', async (context) => {
        const { connector, proxy, deadlineMs, throttled } = given(context);
        await connector.find(fixture.subject);
        proxy.answer(throttled);
        expectTransientNaming(
          await failure(() => connector.find(fixture.subject), deadlineMs),
          connector.store.id,
        );
        proxy.up();
        expect((await connector.find(fixture.subject)).count).toBe(fixture.expected.found);
      });
    });
  });
}
