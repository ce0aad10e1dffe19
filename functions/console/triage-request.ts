/**
 * POST /v1/console/requests/{id}/triage — an email request the classifier
 * could not type gets its type; or a request is closed as a duplicate of
 * another: cancelled with the reason, and both trails name each other (the
 * duplicate first, so a retry after a failure finds it closed and only the
 * original's link is left to write).
 */
import type { z } from 'zod';
import { getRequest, RequestNotFound } from '../../adapters/aws/request-store';
import { type ConsoleEvent, consoleRouteWithBody } from '../../adapters/lambda/console-api';
import { jsonResponse } from '../../adapters/lambda/http-api';
import { changeRequest } from '../../app/console/console-actions';
import { TriageSchema } from '../../domain/console/console-input';
import { InvalidDuplicateTarget } from '../../domain/console/errors';
import { closeAsDuplicate, recordDuplicateMerged, setRequestType } from '../../domain/console/triage';
import { deps } from './production-deps';

async function triageRequest(event: ConsoleEvent<z.output<typeof TriageSchema>>) {
  const { body, caller, requestId } = event;
  if (body.action === 'set-type') {
    const record = await changeRequest(deps, requestId, caller, (current, policy, context) =>
      setRequestType(
        current,
        policy,
        { type: body.type, ...(body.portabilityTarget ? { portabilityTarget: body.portabilityTarget } : {}) },
        context,
      ),
    );
    return jsonResponse(200, {
      requestId,
      status: record.status,
      type: record.type,
      needsTriage: record.needsTriage,
    });
  }
  const original = await getRequest(body.into).catch((error: unknown) => {
    throw error instanceof RequestNotFound ? new InvalidDuplicateTarget(`No request ${body.into}`) : error;
  });
  const duplicate = await changeRequest(deps, requestId, caller, (current, _policy, context) =>
    closeAsDuplicate(current, original, context),
  );
  await changeRequest(deps, body.into, caller, (current, _policy, context) =>
    recordDuplicateMerged(current, requestId, context),
  );
  return jsonResponse(200, { requestId, status: duplicate.status, duplicateOf: duplicate.duplicateOf });
}

export const handler = consoleRouteWithBody({ schema: TriageSchema }, triageRequest);
