import { describe, expect, it } from 'vitest';
import { runDsar } from './run-dsar';

// The legal date of an instant depends on the policy's zone only. Run the CLI under server zones
// far apart (UTC-8/-7, UTC+8 and UTC+14) and require byte-identical answers.
const SERVER_ZONES = ['America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati'];

const CASES = [
  // 00:30 on Saturday 27 Sep in Shanghai; a server in Los Angeles would call it Friday 26 Sep.
  { args: ['--policy', 'sufe', '--received', '2025-09-26T16:30:00Z'], startDate: '2025-09-27' },
  // 00:30 on 1 Feb in Brussels: the month runs to 1 Mar, not to 28 Feb.
  { args: ['--policy', 'gdpr', '--received', '2025-01-31T23:30:00Z'], startDate: '2025-02-01' },
  // 23:30 on 20 Nov in Los Angeles, already 21 Nov in UTC.
  { args: ['--policy', 'ccpa', '--received', '2025-11-21T07:30:00Z'], startDate: '2025-11-20' },
  // Verified at 23:59 Shanghai time, written with a +08:00 offset.
  {
    args: [
      '--policy',
      'caftrade',
      '--received',
      '2025-03-01T09:00:00+08:00',
      '--verified',
      '2025-03-03T23:59:00+08:00',
    ],
    startDate: '2025-03-03',
  },
];

describe.concurrent('time-zone independence', () => {
  it.each(CASES)(
    'gives the same deadline for $args under every server time zone',
    async ({ args, startDate }) => {
      const runs = await Promise.all(SERVER_ZONES.map((TZ) => runDsar(['deadline', ...args], { TZ })));
      for (const run of runs) expect(run).toMatchObject({ status: 0, stderr: '' });
      const [first, ...others] = runs.map((run) => run.stdout);
      for (const other of others) expect(other).toBe(first);
      expect(JSON.parse(first ?? '')).toMatchObject({ startDate });
    },
    60_000,
  );
});
