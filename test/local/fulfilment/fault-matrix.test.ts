/**
 * The fault matrix ("no request left behind", item 4): for each store kind × each workflow step, a
 * fault injected from outside, then three checks, driving the pipeline only as its users do (the
 * intake API, the console API, the outbox):
 * 1. the end state names the store: `partially-fulfilled` with the store's result failed and the
 *    close reason naming it, or `needs-attention` naming the store and the step;
 * 2. after the fault is removed and an agent redrives, the request is fulfilled with one mail per
 *    delivery (one package mail per package version; one deletion summary per closing), no more;
 * 3. nothing is lost: every registered store has a done result, and an access package holds a
 *    file for every store.
 *
 * The only actions that are not HTTP are the faults: PostgreSQL stopped as an operator stops it
 * (back after a stack restart), the demo processor's `POST /_control/faults`, and the local outbox's
 * (SES answering 503 for one recipient's package mail). Cells that no
 * outside fault can reach in this stack are printed as n/a with the reason (docs/limits.md).
 *
 * Two stacks run side by side: A with the demo registry (PostgreSQL at resolve, the processor at
 * export and erase), B with a registry in which loyalty resolves nothing, so that PostgreSQL being
 * down reaches its export and erase instead of stopping the request at resolve.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nameBasedUuid } from '../../../connectors/http-processor/opendsr';
import { mintConsoleToken } from '../../../local/console-issuer';
import { DEMO_PEOPLE } from '../../../local/demo/organisation';
import { codeIn, eventually, mailTo, postJson, uniqueEmail, verifyCode } from '../support/pipeline';
import { type StackProcess, startStackProcess } from '../support/stack-process';
import { downloadLinkIn, downloadPackage, mailAbout, submitAndVerify, unzipFile } from './support';

const [LI_LEI, HAN_MEIMEI, ALICE] = DEMO_PEOPLE as [
  (typeof DEMO_PEOPLE)[0],
  (typeof DEMO_PEOPLE)[0],
  (typeof DEMO_PEOPLE)[0],
];
const DEMO_REGISTRY = 'config/data-stores.demo.json';
const REGISTRY = JSON.parse(readFileSync(DEMO_REGISTRY, 'utf8')) as {
  stores: { id: string; kind: string; resolves?: string[] }[];
};
const ALL_STORES = REGISTRY.stores.map((store) => store.id).sort();
const LOYALTY = 'loyalty';
const PROCESSOR = 'newsletter-processor';
const PACKAGE_MAIL = /ready to download/;
const SUMMARY_MAIL = /Result of your deletion request/;
/** A store that keeps failing: five attempts with backoff, on a machine shared with other stacks. */
const END_TIMEOUT_MS = 180_000;

const KINDS = ['dynamodb', 's3', 'postgres', 'http-processor', '(pipeline)'] as const;
const STEPS = ['resolve', 'find', 'export', 'erase', 'verify', 'package', 'deliver', 'notify'] as const;
type Kind = (typeof KINDS)[number];
type Step = (typeof STEPS)[number];

const SAME_SERVER = 'not injectable: the same local server holds the pipeline’s own';
const NOT_PER_STORE = 'not per store: see (pipeline)';
/** Every cell starts n/a with its reason; a cell that runs replaces it with its outcome. */
const matrix: Record<Kind, Record<Step, string>> = {
  dynamodb: Object.fromEntries(
    STEPS.map((step) => [
      step,
      ['package', 'deliver', 'notify'].includes(step)
        ? NOT_PER_STORE
        : `n/a: ${SAME_SERVER} tables (requests, audit)`,
    ]),
  ) as Record<Step, string>,
  s3: Object.fromEntries(
    STEPS.map((step) => [
      step,
      ['package', 'deliver', 'notify'].includes(step)
        ? NOT_PER_STORE
        : step === 'resolve' || step === 'find'
          ? 'n/a: no S3 store resolves identifiers'
          : `n/a: ${SAME_SERVER} buckets (staging, packages)`,
    ]),
  ) as Record<Step, string>,
  postgres: {
    resolve: 'pending',
    find: 'n/a: loyalty’s find runs inside resolve (the same call)',
    export: 'pending',
    erase: 'pending',
    verify: 'n/a: erase and verify run in one ProcessStore call; stopping PostgreSQL between them is a race',
    package: NOT_PER_STORE,
    deliver: NOT_PER_STORE,
    notify: NOT_PER_STORE,
  },
  'http-processor': {
    resolve: 'n/a: a processor resolves no identifiers',
    find: 'n/a: find runs only for resolver stores; export asks the processor itself',
    export: 'pending',
    erase: 'pending',
    verify:
      'n/a: verify reads the erasure’s status in the same ProcessStore call; a fault on it also fails the erase',
    package: NOT_PER_STORE,
    deliver: NOT_PER_STORE,
    notify: NOT_PER_STORE,
  },
  '(pipeline)': {
    resolve: '-',
    find: '-',
    export: '-',
    erase: '-',
    verify: '-',
    package: 'n/a: AssemblePackage reads and writes the stack’s own S3 (staging, packages)',
    deliver: 'pending',
    notify:
      'n/a: the summary is mailed after CloseRequest closed the request, and a closed request does not move to needs-attention; the claim is released (notification-failed on the trail), but nothing sends it again (docs/limits.md)',
  },
};

/** A cell's short form for the table; the full text is listed under it. */
function short(text: string): string {
  if (text.startsWith('n/a')) return 'n/a';
  if (text === NOT_PER_STORE) return '(pipeline row)';
  if (text.startsWith('FAILED')) return 'FAILED';
  return text
    .replace(/ \(.*?\)/g, '')
    .replace(/, .*$/, '')
    .replace('partially-fulfilled', 'partial');
}

function printMatrix(): void {
  const width = 28;
  const row = (first: string, cells: readonly string[]) =>
    `${first.padEnd(15)}| ${cells.map((text) => text.padEnd(width)).join('| ')}`;
  const lines = [
    'fault matrix: end state → after redrive (every cell in full below)',
    row('store kind', STEPS),
    ...KINDS.map((kind) =>
      row(
        kind,
        STEPS.map((step) => short(matrix[kind][step])),
      ),
    ),
    '',
    ...KINDS.flatMap((kind) =>
      STEPS.filter((step) => !['-', NOT_PER_STORE].includes(matrix[kind][step])).map(
        (step) => `  ${kind} × ${step}: ${matrix[kind][step]}`,
      ),
    ),
  ];
  console.log(lines.join('\n'));
}

/** Stops the stack's PostgreSQL with a fast shutdown (SIGINT to the postmaster); back at the next start. */
function stopPostgres(stateDir: string): void {
  const pidFile = join(stateDir, 'postgres', 'data', 'postmaster.pid');
  process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
}

interface Consoled {
  readonly status: string;
  readonly storeResults: Record<string, { status: string; reason?: string; recordCount?: number }>;
  readonly attention?: { step?: string; storeId?: string; error?: string };
  readonly timeline: { type: string; details?: Record<string, unknown> }[];
}

/** One stack, restartable in its state directory, with the console as an agent sees it. */
class Stack {
  private process: StackProcess | undefined;
  constructor(
    readonly stateDir: string,
    private readonly env: Record<string, string> = {},
  ) {}
  static async start(label: string, env: (stateDir: string) => Promise<Record<string, string>>) {
    const stateDir = await mkdtemp(join(tmpdir(), `dsar-fault-matrix-${label}-`));
    const stack = new Stack(stateDir, await env(stateDir));
    await stack.restart();
    return stack;
  }
  get urls() {
    if (!this.process) throw new Error('the stack is not running');
    return this.process.urls;
  }
  async restart() {
    await this.process?.stop();
    this.process = await startStackProcess(this.stateDir, this.env);
  }
  async stop() {
    await this.process?.stop();
    this.process = undefined;
    await rm(this.stateDir, { recursive: true, force: true });
  }
  async console(method: 'GET' | 'POST', path: string) {
    const token = mintConsoleToken({ stateDir: this.stateDir, roles: ['agent'], user: 'cora' });
    const response = await fetch(`${this.urls.api}/v1/console/requests${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
  /** Polls the console's detail until the request reaches one of `statuses`. */
  async waitFor(requestId: string, statuses: readonly string[], timeoutMs = END_TIMEOUT_MS) {
    return eventually(
      async () => {
        const detail = await this.console('GET', `/${requestId}`).catch(() => undefined);
        const body = detail?.body as unknown as Consoled | undefined;
        return body && statuses.includes(body.status) ? body : undefined;
      },
      `${requestId} to reach ${statuses.join(' or ')}`,
      timeoutMs,
    );
  }
  async mails(address: string, requestId: string, subject: RegExp) {
    return (await mailTo(this.urls, address)).filter(
      (mail) => mail.subject.includes(requestId) && subject.test(mail.subject),
    );
  }
  /** SES (the local outbox) answers 503 to mail to `to` whose subject contains `subjectContains`. */
  async mailFault(to: string, subjectContains: string, failures: number) {
    const answer = await postJson(new URL('/_control/faults', this.urls.outbox).toString(), {
      to,
      subjectContains,
      failures,
    });
    expect(answer.status).toBe(200);
  }
  async processorFault(
    scope: { subjectEmail: string } | { subjectRequestIdPrefix: string },
    failures: number,
  ) {
    const answer = await postJson(new URL('/_control/faults', this.urls.processor).toString(), {
      ...scope,
      failures,
    });
    expect(answer.status).toBe(200);
  }
}

/** Check 1 for a store that failed for good inside ProcessStores: partially-fulfilled, naming it. */
function expectPartialNaming(record: Consoled, storeId: string): string {
  expect(record.status).toBe('partially-fulfilled');
  expect(record.storeResults[storeId]).toMatchObject({
    status: 'failed',
    reason: expect.stringContaining('ConnectorTransientError'),
  });
  const closing = record.timeline.find(
    (event) => event.type === 'status-changed' && event.details?.to === 'partially-fulfilled',
  );
  expect(String(closing?.details?.reason)).toContain(storeId);
  return `partially-fulfilled (${storeId} failed)`;
}

/** Check 3: every registered store is done. */
function expectNothingLost(record: Consoled, done: 'exported' | 'erased'): void {
  expect(record.status).toBe('fulfilled');
  expect(Object.keys(record.storeResults).sort()).toEqual(ALL_STORES);
  for (const storeId of ALL_STORES) expect(record.storeResults[storeId]?.status, storeId).toBe(done);
}

/** Waits for `count` mails, then gives a duplicate every chance to show up before counting. */
async function expectMails(stack: Stack, address: string, requestId: string, subject: RegExp, count: number) {
  await eventually(
    async () => ((await stack.mails(address, requestId, subject)).length >= count ? true : undefined),
    `${count} mail(s) matching ${subject} about ${requestId}`,
    60_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const mails = await stack.mails(address, requestId, subject);
  expect(mails).toHaveLength(count);
  return mails;
}

/** Check 3 for access: the newest package holds a file for every store, with what the store exported. */
async function expectFullPackage(stack: Stack, address: string, requestId: string, versions: number) {
  const [newest] = await expectMails(stack, address, requestId, PACKAGE_MAIL, versions);
  const zip = await downloadPackage(downloadLinkIn(newest!));
  const manifest = JSON.parse(unzipFile(zip, 'manifest.json').toString('utf8')) as {
    stores: { storeId: string; recordCount: number }[];
  };
  expect(manifest.stores.map((store) => store.storeId).sort()).toEqual(ALL_STORES);
  for (const store of manifest.stores) {
    const records = JSON.parse(unzipFile(zip, `${store.storeId}.json`).toString('utf8')) as unknown[];
    expect(records, store.storeId).toHaveLength(store.recordCount);
  }
  return manifest;
}

/** Runs one cell; a failure is printed in the matrix as well as thrown. */
async function cell(kind: Kind, step: Step, run: () => Promise<string>): Promise<void> {
  try {
    matrix[kind][step] = await run();
  } catch (error) {
    matrix[kind][step] = `FAILED: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    throw error;
  }
}

async function redrive(stack: Stack, requestId: string) {
  const answer = await stack.console('POST', `/${requestId}/redrive`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** Stack A, demo registry: PostgreSQL down at resolve; then the processor failing at export and erase. */
async function stackA(stacks: Stack[]) {
  const stack = await Stack.start('a', async () => ({}));
  stacks.push(stack);

  // postgres × resolve: the store is down when the workflow starts; it is back after a restart.
  let resolve = { requestId: '', end: '' };
  await cell('postgres', 'resolve', async () => {
    stopPostgres(stack.stateDir);
    const { requestId } = await submitAndVerify(stack.urls, {
      type: 'access',
      subject: { email: HAN_MEIMEI.email },
    });
    const stuck = await stack.waitFor(requestId, ['needs-attention']);
    expect(stuck.attention).toMatchObject({ step: 'ResolveIdentity', storeId: LOYALTY });
    resolve = { requestId, end: `needs-attention (${stuck.attention?.step}, ${LOYALTY})` };
    return `${resolve.end} → (not redriven)`;
  });
  await stack.restart();

  await Promise.all([
    cell('postgres', 'resolve', async () => {
      await redrive(stack, resolve.requestId);
      expectNothingLost(
        await stack.waitFor(resolve.requestId, ['fulfilled', 'partially-fulfilled']),
        'exported',
      );
      const manifest = await expectFullPackage(stack, HAN_MEIMEI.email, resolve.requestId, 1);
      expect(manifest.stores.find((store) => store.storeId === LOYALTY)?.recordCount).toBeGreaterThan(0);
      return `${resolve.end} → fulfilled, 1 package mail`;
    }),
    cell('http-processor', 'export', async () => {
      // Every call about this subject's access requests answers 503.
      await stack.processorFault({ subjectEmail: LI_LEI.email }, 1_000_000);
      const { requestId } = await submitAndVerify(stack.urls, {
        type: 'access',
        subject: { email: LI_LEI.email },
      });
      const end = expectPartialNaming(
        await stack.waitFor(requestId, ['fulfilled', 'partially-fulfilled']),
        PROCESSOR,
      );
      await expectMails(stack, LI_LEI.email, requestId, PACKAGE_MAIL, 1);
      await stack.processorFault({ subjectEmail: LI_LEI.email }, 0);
      await redrive(stack, requestId);
      expectNothingLost(await stack.waitFor(requestId, ['fulfilled']), 'exported');
      // The package is rebuilt with the processor's records and mailed once more: one mail per version.
      const manifest = await expectFullPackage(stack, LI_LEI.email, requestId, 2);
      expect(manifest.stores.find((store) => store.storeId === PROCESSOR)?.recordCount).toBeGreaterThan(0);
      return `${end} → fulfilled, 1 package mail per version (2)`;
    }),
    cell('(pipeline)', 'deliver', async () => {
      // SES refuses Alice's package mail: DeliverPackage fails for good, the claim is released.
      await stack.mailFault(ALICE.email, 'ready to download', 1_000_000);
      const { requestId } = await submitAndVerify(stack.urls, {
        type: 'access',
        subject: { email: ALICE.email },
      });
      const stuck = await stack.waitFor(requestId, ['needs-attention']);
      expect(stuck.attention).toMatchObject({ step: 'DeliverPackage' });
      expect(stuck.timeline.some((event) => event.type === 'notification-failed')).toBe(true);
      expect(await stack.mails(ALICE.email, requestId, PACKAGE_MAIL)).toHaveLength(0);
      await stack.mailFault(ALICE.email, 'ready to download', 0);
      await redrive(stack, requestId);
      expectNothingLost(await stack.waitFor(requestId, ['fulfilled']), 'exported');
      await expectFullPackage(stack, ALICE.email, requestId, 1);
      return 'needs-attention (DeliverPackage) → fulfilled, 1 package mail';
    }),
    cell('http-processor', 'erase', async () => {
      // Every call about this request's erasure answers 503 (set before the code is given).
      const email = uniqueEmail('matrix-erase');
      const submitted = await postJson(`${stack.urls.api}/v1/requests`, {
        type: 'deletion',
        subject: { email },
      });
      const { requestId } = submitted.body as { requestId: string };
      const prefix = { subjectRequestIdPrefix: nameBasedUuid(`${requestId}:${PROCESSOR}`) };
      await stack.processorFault(prefix, 1_000_000);
      const code = codeIn(await mailAbout(stack.urls, email, requestId, /Verify/));
      expect((await verifyCode(stack.urls, requestId, code)).status).toBe(200);
      const end = expectPartialNaming(
        await stack.waitFor(requestId, ['fulfilled', 'partially-fulfilled']),
        PROCESSOR,
      );
      await expectMails(stack, email, requestId, SUMMARY_MAIL, 1);
      await stack.processorFault(prefix, 0);
      await redrive(stack, requestId);
      expectNothingLost(await stack.waitFor(requestId, ['fulfilled']), 'erased');
      await expectMails(stack, email, requestId, SUMMARY_MAIL, 2);
      return `${end} → fulfilled, 1 summary per closing (2)`;
    }),
  ]);
}

/** Stack B, loyalty resolves nothing: PostgreSQL down reaches its export and its erase. */
async function stackB(stacks: Stack[]) {
  const stack = await Stack.start('b', async (stateDir) => {
    const file = join(stateDir, 'registry-loyalty-resolves-nothing.json');
    const registry = JSON.parse(readFileSync(DEMO_REGISTRY, 'utf8')) as typeof REGISTRY;
    for (const store of registry.stores) if (store.id === LOYALTY) delete store.resolves;
    await writeFile(file, JSON.stringify(registry));
    return { DSAR_STORE_REGISTRY_FILE: file };
  });
  stacks.push(stack);
  stopPostgres(stack.stateDir);

  const cases = [
    { step: 'export', type: 'access', email: ALICE.email, mail: PACKAGE_MAIL },
    { step: 'erase', type: 'deletion', email: LI_LEI.email, mail: SUMMARY_MAIL },
  ] as const;
  const ends = await Promise.all(
    cases.map(async ({ step, type, email, mail }) => {
      let requestId = '';
      let end = '';
      await cell('postgres', step, async () => {
        ({ requestId } = await submitAndVerify(stack.urls, { type, subject: { email } }));
        end = expectPartialNaming(
          await stack.waitFor(requestId, ['fulfilled', 'partially-fulfilled']),
          LOYALTY,
        );
        await expectMails(stack, email, requestId, mail, 1);
        return `${end} → (not redriven)`;
      });
      return { requestId, end };
    }),
  );
  await stack.restart();
  await Promise.all(
    cases.map(({ step, type, email }, index) =>
      cell('postgres', step, async () => {
        const { requestId, end } = ends[index]!;
        await redrive(stack, requestId);
        const done = await stack.waitFor(requestId, ['fulfilled']);
        if (type === 'deletion') {
          expectNothingLost(done, 'erased');
          await expectMails(stack, email, requestId, SUMMARY_MAIL, 2);
          return `${end} → fulfilled, 1 summary per closing (2)`;
        }
        expectNothingLost(done, 'exported');
        const manifest = await expectFullPackage(stack, email, requestId, 2);
        expect(manifest.stores.find((store) => store.storeId === LOYALTY)?.recordCount).toBeGreaterThan(0);
        return `${end} → fulfilled, 1 package mail per version (2)`;
      }),
    ),
  );
}

describe('the fault matrix: each store kind × each step, injected from outside', () => {
  const stacks: Stack[] = [];

  afterAll(async () => {
    printMatrix();
    await Promise.all(stacks.map((stack) => stack.stop()));
  });

  it('ends each faulted request naming the store, and a redrive completes it once, with nothing lost', async () => {
    const results = await Promise.allSettled([stackA(stacks), stackB(stacks)]);
    for (const result of results) if (result.status === 'rejected') throw result.reason;
  }, 600_000);
});
