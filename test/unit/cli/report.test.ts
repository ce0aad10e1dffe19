import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reportTable } from '../../../cli/commands/report';
import { runCli } from '../../../cli/main';
import type { PlainDate } from '../../../domain/clock';
import { buildReport } from '../../../domain/reports/report';
import { startConsoleIssuer } from '../../../local/console-issuer';

async function dsar(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { status, stdout, stderr };
}

const stateDirs: string[] = [];
function stateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dsar-report-'));
  stateDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

describe('dsar report', () => {
  it.each([
    [['--format', 'xlsx'], "dsar: --format 'xlsx' is not one of table, json, csv\n"],
    [['--from', '2025-02-30'], "dsar: --from '2025-02-30' is not a date: expected YYYY-MM-DD\n"],
    [['--from', '2025-03-05', '--to', '2025-03-04'], 'dsar: --to 2025-03-04 is before --from 2025-03-05\n'],
  ])('refuses %j as bad usage', async (args, stderr) => {
    expect(await dsar('report', ...args)).toEqual({ status: 2, stdout: '', stderr });
  });

  it('asks for the local pipeline when the state directory has no issuer', async () => {
    const run = await dsar('report', '--state-dir', stateDir());
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('start the local pipeline first (npm start)');
  });

  it('says which address it could not reach', async () => {
    const dir = stateDir();
    // Port 9 (discard) on loopback: nothing listens there on a test machine.
    startConsoleIssuer({ stateDir: dir, apiUrl: 'http://127.0.0.1:9' });
    const run = await dsar('report', '--state-dir', dir);
    expect(run).toEqual({
      status: 1,
      stdout: '',
      stderr: 'dsar: cannot reach http://127.0.0.1:9: start the local pipeline (npm start), or pass --api\n',
    });
  });

  it('prints its options with --help', async () => {
    const run = await dsar('report', '--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: dsar report/);
  });
});

describe('reportTable', () => {
  const report = buildReport({
    records: [
      {
        policyId: 'sufe',
        channel: 'console',
        status: 'fulfilled',
        receivedAt: '2025-03-03T01:00:00.000Z',
        closedAt: '2025-03-10T01:00:00.000Z',
        deadline: { dueDate: '2025-03-31' as PlainDate },
      },
      {
        policyId: 'sufe',
        channel: 'web',
        status: 'in-progress',
        receivedAt: '2025-03-03T01:00:00.000Z',
        deadline: { dueDate: '2025-03-12' as PlainDate },
      },
    ],
    policies: [
      { id: 'sufe', timeZone: 'Asia/Shanghai' },
      { id: 'gdpr', timeZone: 'Europe/Brussels' },
    ],
    asOf: new Date('2025-03-11T00:00:00Z'),
  });

  it('shows overall, then the policies and channels that received requests, in aligned columns', () => {
    const lines = reportTable(report).split('\n');
    expect(lines[0]).toBe('Report as of 2025-03-11T00:00:00.000Z, all receipt days');
    const rows = lines.slice(2, 7).map((line) => line.split(/\s{2,}/));
    expect(rows.map((row) => row[0])).toEqual([
      '',
      'overall',
      'policy sufe',
      'channel web',
      'channel console',
    ]);
    expect(rows[1]).toEqual(['overall', '2', '1', '1', '0', '0', '1', '1', '0', '0', '0', '7']);
    expect(rows[3]!.at(-1)).toBe('-');
  });
});
