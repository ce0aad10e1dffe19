import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PROBE = fileURLToPath(new URL('./fixtures/tz-probe.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// UTC-8/-7, UTC+8, UTC+14: between them every instant falls on two different local calendar dates.
const SERVER_ZONES = ['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati'];

function runProbe(timeZone: string): { localOffsetMinutes: number; results: unknown } {
  const output = execFileSync(process.execPath, ['--import', 'tsx', PROBE], {
    cwd: REPO_ROOT,
    env: { ...process.env, TZ: timeZone },
    encoding: 'utf8',
  });
  return JSON.parse(output);
}

describe('time-zone independence (legal dates never depend on the server clock zone)', () => {
  it('computes identical dates, weekdays and periods in processes running under TZ=America/Los_Angeles, Asia/Shanghai and Pacific/Kiritimati', () => {
    const runs = SERVER_ZONES.map(runProbe);
    // The children really ran in different zones...
    expect(new Set(runs.map((run) => run.localOffsetMinutes)).size).toBe(SERVER_ZONES.length);
    // ...and still agree on every result.
    for (const run of runs.slice(1)) expect(run.results).toEqual(runs[0]!.results);
  }, 60_000);
});
