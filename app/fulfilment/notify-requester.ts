/**
 * NotifyRequester — for erasure, the requester's summary: what was deleted,
 * anonymised and retained (with the legal basis), and the backup caveat.
 * Sent once: the request records when it went out, so a re-run sends nothing;
 * after a redrive completed more stores, one updated summary goes out. A mail
 * the mailer refuses releases the claim (notification-failed) before the error
 * goes on, so the workflow's retry or a redrive sends it.
 * (Access and copy requests are told by DeliverPackage, with the link.)
 */

import { storeById } from '../../domain/stores/registry';
import type { Clock, Mailer, RequestRepository } from '../ports';
import type { StoreCatalogue } from './ports';
import { type TaskInput, verifiedEmail, workflowActor } from './workflow';

export interface NotifyRequesterDeps {
  readonly requests: RequestRepository;
  readonly stores: StoreCatalogue;
  readonly mailer: Mailer;
  readonly clock: Clock;
}

import { doneStores, summaryIsDue } from '../../domain/fulfilment';
import { erasureSummaryNotice } from '../../domain/notices';
import { getPolicy } from '../../domain/policy/registry';

export async function notifyRequester(deps: NotifyRequesterDeps, input: TaskInput) {
  const record = await deps.requests.get(input.requestId);
  const fulfilment = record.fulfilment;
  if (fulfilment?.action !== 'erase' || !summaryIsDue(fulfilment)) return { requestId: input.requestId };
  const resend = fulfilment.summarySentAt !== undefined;
  if (record.status !== 'fulfilled' && record.status !== 'partially-fulfilled')
    return { requestId: input.requestId };
  const email = verifiedEmail(record);
  if (!email) return { requestId: input.requestId };

  const registry = deps.stores.registry();
  const notice = erasureSummaryNotice({
    requestId: record.requestId,
    status: record.status,
    stores: fulfilment.plannedStores.map((storeId) => {
      const result = fulfilment.storeResults[storeId];
      const description = storeById(registry, storeId).description;
      if (result?.status === 'erased') return { description, ...result };
      return {
        description,
        deleted: 0,
        anonymised: 0,
        retained: 0,
        retainedBases: [],
        failed: result?.status === 'failed' ? 'will be retried' : 'pending',
      };
    }),
    ...(fulfilment.backupCaveat ? { backupCaveat: fulfilment.backupCaveat } : {}),
    organisation: getPolicy(record.policyId).organisation,
  });
  const at = deps.clock.now().toISOString();
  // Record first, then send: a crash between the two loses one email at worst,
  // never sends two (the requester can always read the status page).
  const claimed = await deps.requests.mutate(input.requestId, (current) => {
    if (!current.fulfilment || !summaryIsDue(current.fulfilment)) return undefined;
    return {
      next: {
        ...current,
        fulfilment: {
          ...current.fulfilment,
          summarySentAt: at,
          summarisedStores: doneStores(current.fulfilment),
        },
      },
      events: [
        {
          type: 'notification-sent',
          actor: workflowActor,
          at,
          details: { kind: 'erasure-summary', to: email.masked },
        },
      ],
    };
  });
  if (claimed.fulfilment?.summarySentAt === at) {
    try {
      await deps.mailer.send({
        to: email.value,
        ...notice,
        messageId: `<${record.requestId}.summary${resend ? `-r${fulfilment.redrives ?? 0}` : ''}@dsar>`,
      });
    } catch (error) {
      await deps.requests.mutate(input.requestId, (current) => {
        if (current.fulfilment?.summarySentAt !== at) return undefined;
        const { summarySentAt: _at, summarisedStores: _stores, ...rest } = current.fulfilment;
        return {
          next: {
            ...current,
            fulfilment: {
              ...rest,
              ...(fulfilment.summarySentAt === undefined ? {} : { summarySentAt: fulfilment.summarySentAt }),
              ...(fulfilment.summarisedStores === undefined
                ? {}
                : { summarisedStores: fulfilment.summarisedStores }),
            },
          },
          events: [
            {
              type: 'notification-failed',
              actor: workflowActor,
              at: deps.clock.now().toISOString(),
              details: {
                kind: 'erasure-summary',
                error: error instanceof Error ? error.name : 'UnknownError',
              },
            },
          ],
        };
      });
      throw error;
    }
  }
  return { requestId: input.requestId };
}
