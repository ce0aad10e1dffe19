/** `dsar deadline`: the reply deadline of one request, as one JSON object on stdout. */
import { parseArgs } from 'node:util';
import { STATUTORY_CALENDARS } from '../../domain/clock';
import { computeDeadline, type DeadlineInput } from '../../domain/deadline';
import { getPolicy } from '../../domain/policy/registry';
import { type CliCommand, type CliIo, UsageError } from '../command';
import { parseCountOption, parseDateOption, requireOption } from '../options';

const usage = `Usage: dsar deadline --policy <id> --received <date> [options]

Prints the deadline of a request as one JSON object (see DeadlineResult in domain/deadline.ts).

Options:
  --policy <id>        policy profile id (see 'dsar policies')
  --received <date>    day the request was received
  --verified <date>    day the requester's identity was verified
  --extended           the organisation takes the profile's extension
  --postponed <date>   day a postponement was notified (implies --extended)
  --paused <units>     units the clock stood still waiting on the requester
  --calendar <which>   official (default): official notices where they exist, the statutory
                       baseline (flagged provisional) where not; statutory: the baseline alone,
                       even where a notice exists, to re-run the back-test of the provisional rule
  -h, --help           show this help

A <date> is YYYY-MM-DD in the policy's time zone, or an ISO 8601 instant with Z or an
offset (2025-09-26T17:30:00Z), read as the date it falls on in the policy's time zone.`;

function run(args: string[], io: CliIo): void {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      policy: { type: 'string' },
      received: { type: 'string' },
      verified: { type: 'string' },
      extended: { type: 'boolean' },
      postponed: { type: 'string' },
      paused: { type: 'string' },
      calendar: { type: 'string', default: 'official' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${usage}\n`);
    return;
  }
  const policy = getPolicy(requireOption('policy', values.policy));
  if (values.calendar !== 'official' && values.calendar !== 'statutory') {
    throw new UsageError(`--calendar must be 'official' or 'statutory', not '${values.calendar}'`);
  }
  const input: DeadlineInput = {
    policy,
    receivedOn: parseDateOption('received', requireOption('received', values.received), policy),
  };
  if (values.verified !== undefined) input.verifiedOn = parseDateOption('verified', values.verified, policy);
  if (values.postponed !== undefined)
    input.postponedOn = parseDateOption('postponed', values.postponed, policy);
  if (values.extended) input.extended = true;
  if (values.paused !== undefined) input.pausedUnits = parseCountOption('paused', values.paused);
  if (values.calendar === 'statutory') input.calendars = STATUTORY_CALENDARS;
  io.stdout(`${JSON.stringify(computeDeadline(input), null, 2)}\n`);
}

export const deadlineCommand: CliCommand = {
  name: 'deadline',
  summary: 'Compute the reply deadline of a request under a policy profile',
  usage,
  run,
};
