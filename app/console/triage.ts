/**
 * Triage: an email request the classifier could not type gets its type; or a request is closed as a
 * duplicate of another: cancelled with the reason, and both trails name each other (the duplicate first,
 * so a retry after a failure finds it closed and only the original's link is left to write).
 */
import type { z } from 'zod';
import type { TriageSchema } from '../../domain/console/console-input';
import { InvalidDuplicateTarget } from '../../domain/console/errors';
import { closeAsDuplicate, recordDuplicateMerged, setRequestType } from '../../domain/console/triage';
import { RequestNotFound } from '../request-writes';
import { changeRequest } from './console-actions';
import type { ActionDeps, ConsoleUser } from './ports';

export async function triage(
  deps: ActionDeps,
  caller: ConsoleUser,
  requestId: string,
  input: z.output<typeof TriageSchema>,
) {
  if (input.action === 'set-type') {
    const record = await changeRequest(deps, requestId, caller, (current, policy, context) =>
      setRequestType(
        current,
        policy,
        {
          type: input.type,
          ...(input.portabilityTarget ? { portabilityTarget: input.portabilityTarget } : {}),
        },
        context,
      ),
    );
    return { requestId, status: record.status, type: record.type, needsTriage: record.needsTriage };
  }
  const original = await deps.requests.get(input.into).catch((error: unknown) => {
    throw error instanceof RequestNotFound ? new InvalidDuplicateTarget(`No request ${input.into}`) : error;
  });
  const duplicate = await changeRequest(deps, requestId, caller, (current, _policy, context) =>
    closeAsDuplicate(current, original, context),
  );
  await changeRequest(deps, input.into, caller, (current, _policy, context) =>
    recordDuplicateMerged(current, requestId, context),
  );
  return { requestId, status: duplicate.status, duplicateOf: duplicate.duplicateOf };
}
