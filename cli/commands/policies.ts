/** `dsar policies`: the policy profiles as an aligned, human-readable table. */
import { parseArgs } from 'node:util';
import { listPolicies } from '../../domain/policy/registry';
import type { PeriodUnit, PolicyProfile } from '../../domain/policy/schema';
import type { CliCommand, CliIo } from '../command';

const usage = `Usage: dsar policies

Lists every policy profile: id, regime, reply clock, extension and time zone.`;

const UNIT_NAMES: Record<PeriodUnit, [singular: string, plural: string]> = {
  'calendar-days': ['calendar day', 'calendar days'],
  'working-days': ['working day', 'working days'],
  months: ['month', 'months'],
};

function quantity(length: number, unit: PeriodUnit): string {
  const [singular, plural] = UNIT_NAMES[unit];
  return `${length} ${length === 1 ? singular : plural}`;
}

/** e.g. "20 working days from receipt (cn-state-council)". */
export function describeClock(policy: PolicyProfile): string {
  const { clock } = policy;
  const text = `${quantity(clock.length, clock.unit)} from ${clock.start}`;
  if (clock.calendar === undefined) return text;
  // Working-day periods always end on a working day, so only other units say that they roll.
  const rolls = clock.rollForwardOnRestDay && clock.unit !== 'working-days' ? ', rolled past rest days' : '';
  return `${text} (${clock.calendar}${rolls})`;
}

/** e.g. "+2 months (max 3 months)", or "none". */
export function describeExtension(policy: PolicyProfile): string {
  const { extension } = policy;
  if (extension === undefined) return 'none';
  return `+${quantity(extension.length, extension.unit)} (max ${quantity(extension.maxTotal, extension.unit)})`;
}

/** Left-aligned columns separated by two spaces; no trailing spaces. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function run(args: string[], io: CliIo): void {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(`${usage}\n`);
    return;
  }
  const rows = listPolicies().map((policy) => [
    policy.id,
    policy.regime,
    describeClock(policy),
    describeExtension(policy),
    policy.timeZone,
  ]);
  io.stdout(`${formatTable([['ID', 'REGIME', 'CLOCK', 'EXTENSION', 'TIME ZONE'], ...rows])}\n`);
}

export const policiesCommand: CliCommand = {
  name: 'policies',
  summary: 'List the policy profiles and their reply clocks',
  usage,
  run,
};
