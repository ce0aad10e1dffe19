import { describe, expect, it } from 'vitest';
import { runDsar, runDsarInProcess } from './run-dsar';

// Starting node and tsx afresh takes seconds on a loaded machine.
const SPAWN_TIMEOUT = 60_000;

describe('the dsar binary', () => {
  it(
    'runs a command as `npx dsar` does, in its own process',
    async () => {
      const run = await runDsar(['deadline', '--policy', 'sufe', '--received', '2025-09-26']);
      expect(run).toMatchObject({ status: 0, stderr: '' });
      expect(JSON.parse(run.stdout)).toMatchObject({ dueDate: '2025-10-30' });
    },
    SPAWN_TIMEOUT,
  );
});

async function deadlineJson(...args: string[]) {
  const run = await runDsarInProcess(['deadline', ...args]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout);
}

describe.concurrent('dsar deadline', { timeout: SPAWN_TIMEOUT }, () => {
  it('prints the sufe deadline over National Day as one JSON object', async () => {
    expect(await deadlineJson('--policy', 'sufe', '--received', '2025-09-26')).toMatchObject({
      policy: 'sufe',
      clockStart: 'receipt',
      dueDate: '2025-10-30',
      unit: 'working-days',
      length: 20,
    });
  });

  it('prints a null due date pending verification for caftrade until --verified is given', async () => {
    expect(await deadlineJson('--policy', 'caftrade', '--received', '2025-03-01')).toMatchObject({
      clockStart: 'verification',
      dueDate: null,
      pendingOn: 'verification',
    });
    expect(
      await deadlineJson('--policy', 'caftrade', '--received', '2025-03-01', '--verified', '2025-03-03'),
    ).toMatchObject({ dueDate: '2025-03-18', startDate: '2025-03-03' });
  });

  it('prints the explanation date for qianxin and the acknowledgement date for ccpa', async () => {
    expect(await deadlineJson('--policy', 'qianxin', '--received', '2025-09-26')).toMatchObject({
      explanationDueDate: '2025-10-23',
    });
    expect(await deadlineJson('--policy', 'ccpa', '--received', '2025-11-20')).toMatchObject({
      acknowledgeBy: '2025-12-05',
      dueDate: '2026-01-04',
    });
  });

  it('applies --extended, --postponed and --paused', async () => {
    expect(await deadlineJson('--policy', 'gdpr', '--received', '2025-01-31', '--extended')).toMatchObject({
      dueDate: '2025-04-30',
      extension: { originalDueDate: '2025-02-28' },
    });
    expect(
      await deadlineJson('--policy', 'qianxin', '--received', '2025-09-26', '--postponed', '2025-10-20'),
    ).toMatchObject({ dueDate: '2025-11-13' });
    expect(await deadlineJson('--policy', 'sufe', '--received', '2025-09-26', '--paused', '5')).toMatchObject(
      {
        dueDate: '2025-11-06',
      },
    );
  });

  it.each([
    [
      'an unknown policy',
      ['--policy', 'gpdr', '--received', '2025-09-26'],
      2,
      /Unknown policy 'gpdr'.*caftrade/,
    ],
    [
      'a malformed date',
      ['--policy', 'sufe', '--received', '2025-02-30'],
      2,
      /--received '2025-02-30' is not a date/,
    ],
    [
      'an instant without an offset',
      ['--policy', 'sufe', '--received', '2025-09-26T10:00:00'],
      2,
      /Z or an offset/,
    ],
    [
      'an unknown option',
      ['--policy', 'sufe', '--received', '2025-09-26', '--due'],
      2,
      /Unknown option '--due'/,
    ],
    ['a missing --received', ['--policy', 'sufe'], 2, /missing --received/],
    ['a stray positional argument', ['sufe', '2025-09-26'], 2, /positional/i],
    ['a negative pause', ['--policy', 'sufe', '--received', '2025-09-26', '--paused', '-1'], 2, /--paused/],
    [
      'an extension the policy does not allow',
      ['--policy', 'sufe', '--received', '2025-09-26', '--extended'],
      2,
      /allows no extension/,
    ],
    [
      'a pause on a clock that never stops',
      ['--policy', 'ccpa', '--received', '2025-09-26', '--paused', '2'],
      2,
      /pause/,
    ],
    [
      'an unknown calendar choice',
      ['--policy', 'sufe', '--received', '2026-12-20', '--calendar', 'lunar'],
      2,
      /--calendar/,
    ],
  ])('rejects %s with one line on stderr and nothing on stdout', async (_case, args, status, message) => {
    const run = await runDsarInProcess(['deadline', ...args]);
    expect(run.status).toBe(status);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^dsar: [^\n]+\n$/);
    expect(run.stderr).toMatch(message);
  });

  it('gives a provisional date for a period running into a year without a notice, and exits 0', async () => {
    const run = await runDsarInProcess(['deadline', '--policy', 'sufe', '--received', '2026-12-04']);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({
      dueDate: '2026-12-29',
      provisional: true,
      provisionalYears: [2027],
    });
  });

  it('counts on the statutory baseline alone with --calendar statutory, flagging every year it used', async () => {
    const official = JSON.parse(
      (await runDsarInProcess(['deadline', '--policy', 'sufe', '--received', '2025-09-26'])).stdout,
    );
    const run = await runDsarInProcess([
      'deadline',
      '--policy',
      'sufe',
      '--received',
      '2025-09-26',
      '--calendar',
      'statutory',
    ]);
    expect(run.status).toBe(0);
    const statutory = JSON.parse(run.stdout);
    expect(official).toMatchObject({ dueDate: '2025-10-30' });
    expect(official).not.toHaveProperty('provisional');
    expect(statutory).toMatchObject({ provisional: true, provisionalYears: [2025] });
    expect(statutory.dueDate <= official.dueDate).toBe(true);
  });

  it('prints its own usage for --help', async () => {
    const run = await runDsarInProcess(['deadline', '--help']);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Usage: dsar deadline --policy <id> --received <date>/);
  });
});

describe.concurrent('dsar policies', { timeout: SPAWN_TIMEOUT }, () => {
  it('prints an aligned table with one row per profile', async () => {
    const run = await runDsarInProcess(['policies']);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    const header = lines[0] ?? '';
    expect(header).toMatch(/^ID\s+REGIME\s+CLOCK\s+EXTENSION\s+TIME ZONE$/);
    const sufe = lines.find((line) => line.startsWith('sufe ')) ?? '';
    expect(sufe).toContain('20 working days from receipt (cn-state-council)');
    expect(sufe).toContain('Asia/Shanghai');
    // Every column starts where its header does.
    for (const column of ['REGIME', 'CLOCK', 'EXTENSION', 'TIME ZONE']) {
      const start = header.indexOf(column);
      for (const line of lines.slice(1)) expect(line[start - 1], `${column} in ${line}`).toBe(' ');
      for (const line of lines.slice(1)) expect(line[start], `${column} in ${line}`).not.toBe(' ');
    }
    expect(lines.find((line) => line.startsWith('gdpr '))).toContain('+2 months (max 3 months)');
    expect(lines.find((line) => line.startsWith('caftrade '))).toContain(
      '15 calendar days from verification',
    );
  });
});

describe.concurrent('dsar', { timeout: SPAWN_TIMEOUT }, () => {
  it.each([[[]], [['--help']]])('prints usage listing every command for %j', async (args) => {
    const run = await runDsarInProcess(args);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Usage: dsar <command>/);
    expect(run.stdout).toMatch(/\n {2}deadline {2}/);
    expect(run.stdout).toMatch(/\n {2}policies {2}/);
  });

  it('refuses an evidence download without a request id, or with something else, before calling any API', async () => {
    expect(await runDsarInProcess(['evidence'])).toMatchObject({
      status: 2,
      stderr: 'dsar: missing the request id (dsr-…)\n',
    });
    expect(await runDsarInProcess(['evidence', 'not-an-id'])).toMatchObject({
      status: 2,
      stderr: "dsar: 'not-an-id' is not a request id (dsr- and a UUID)\n",
    });
  });

  it('rejects an unknown command, naming the ones it has', async () => {
    const run = await runDsarInProcess(['archive']);
    expect(run).toMatchObject({
      status: 2,
      stdout: '',
      stderr:
        "dsar: unknown command 'archive'; commands: audit, calendar, deadline, evidence, policies, report, sweep, token\n",
    });
  });
});

describe.concurrent('dsar sweep', { timeout: SPAWN_TIMEOUT }, () => {
  it('says no local pipeline is running when the state directory has no endpoints', async () => {
    const run = await runDsarInProcess(['sweep', '--state-dir', '/nonexistent/dsar-state']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('dsar: No local pipeline is running with state in /nonexistent/dsar-state');
  });

  it('rejects a --now without a time zone offset, which would be read in the server zone', async () => {
    const run = await runDsarInProcess(['sweep', '--now', '2025-10-31T09:00:00']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--now '2025-10-31T09:00:00' is not an ISO 8601 instant");
  });
});

describe.concurrent('dsar audit', { timeout: SPAWN_TIMEOUT }, () => {
  it('needs the verify subcommand and exactly one of --request and --all', async () => {
    for (const args of [[], ['verify'], ['verify', '--all', '--request', 'dsr-1'], ['check', '--all']]) {
      const run = await runDsarInProcess(['audit', ...args]);
      expect(run).toMatchObject({ status: 2, stdout: '' });
      expect(run.stderr).toMatch(/^dsar: dsar audit/);
    }
  });

  it('says no local pipeline is running when the state directory has no endpoints', async () => {
    const run = await runDsarInProcess([
      'audit',
      'verify',
      '--all',
      '--state-dir',
      '/nonexistent/dsar-state',
    ]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('No local pipeline is running with state in /nonexistent/dsar-state');
  });
});
