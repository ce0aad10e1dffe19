/**
 * One request as an agent handles it: the request with its identifiers masked, the timeline (the whole
 * audit trail, with whether it verifies: hashes, MACs checked with the trail key, links, record head), per-store fulfilment results, and the clock. A reveal
 * shows identifiers in clear to supervisors only, and is itself an audit event, written before anything
 * is shown.
 */
import { hasPrivilege } from '../../definitions/console-roles';
import { plainDateInZone } from '../../domain/clock';
import { SupervisorRequired } from '../../domain/console/errors';
import { requestDetail } from '../../domain/console/view';
import { getPolicy } from '../../domain/policy/registry';
import { macsHolding } from '../audit/verify-trails';
import type { TrailMac } from '../ports';
import type { ActionDeps, ConsoleUser } from './ports';

export type RequestDetailDeps = ActionDeps & { readonly trailMac: TrailMac };

export async function getRequestDetail(
  deps: RequestDetailDeps,
  caller: ConsoleUser,
  requestId: string,
  reveal: boolean,
) {
  if (reveal && !hasPrivilege('revealIdentifiers', caller.roles)) {
    throw new SupervisorRequired('see identifiers in clear');
  }
  const record = reveal
    ? await deps.requests.mutate(requestId, (current) => ({
        next: current,
        events: [
          {
            type: 'identifiers-revealed',
            actor: caller.actor,
            at: deps.clock.now().toISOString(),
            details: { identifiers: current.identifiers.map((identifier) => identifier.masked) },
          },
        ],
      }))
    : await deps.requests.get(requestId);
  const policy = getPolicy(record.policyId);
  const events = await deps.requests.trail(requestId);
  const today = plainDateInZone(deps.clock.now(), policy.timeZone);
  const holding = await macsHolding(events, deps.trailMac);
  return requestDetail(record, policy, today, events, reveal, await deps.calendars.calendars(), (event) =>
    holding.has(event),
  );
}
