/**
 * GET /v1/console/requests/{id} — one request as an agent handles it: the
 * request with its identifiers masked, the timeline (the whole audit trail,
 * with whether its hash chain holds), per-store fulfilment results, and the
 * clock. `?reveal=true` shows identifiers in clear to supervisors only, and
 * the reveal is itself an audit event, written before anything is shown.
 */

import { loadCalendars } from '../../adapters/aws/calendar-notices';
import { getRequest, listAuditEvents, mutateRequest } from '../../adapters/aws/request-store';
import { type ConsoleEvent, consoleRoute } from '../../adapters/lambda/console-api';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { hasPrivilege } from '../../definitions/console-roles';
import { plainDateInZone } from '../../domain/clock';
import { DetailQuerySchema } from '../../domain/console/console-input';
import { SupervisorRequired } from '../../domain/console/errors';
import { requestDetail } from '../../domain/console/view';
import { getPolicy } from '../../domain/policy/registry';

async function getConsoleRequest(event: ConsoleEvent<undefined, { reveal?: boolean | undefined }>) {
  const { requestId, caller } = event;
  const reveal = event.query.reveal === true;
  if (reveal && !hasPrivilege('revealIdentifiers', caller.roles)) {
    throw new SupervisorRequired('see identifiers in clear');
  }
  const record = reveal
    ? await mutateRequest(requestId, (current) => ({
        next: current,
        events: [
          {
            type: 'identifiers-revealed',
            actor: caller.actor,
            at: new Date().toISOString(),
            details: { identifiers: current.identifiers.map((identifier) => identifier.masked) },
          },
        ],
      }))
    : await getRequest(requestId);
  const policy = getPolicy(record.policyId);
  const events = await listAuditEvents(requestId);
  const today = plainDateInZone(new Date(), policy.timeZone);
  return jsonResponse(200, requestDetail(record, policy, today, events, reveal, await loadCalendars()));
}

export const handler = consoleRoute({ query: DetailQuerySchema }, getConsoleRequest);
