/**
 * POST /v1/requests/{id}/verification-code — a new one-time code, for a code
 * that expired or a mail or SMS that never came. It goes by the channel of the
 * first (the challenge's method): by mail to the email address, by SMS to the phone. The old code stops working; at most
 * MAX_CODE_RESENDS new codes per request (then `limit-reached`), and only while
 * the request waits for verification and is not locked.
 *
 * Every other outcome is `accepted`, whether the request exists, waits for a
 * code, is already verified or is locked: the route cannot be used to probe
 * request ids, and the code only ever goes to the address or number on the request.
 */

import { withCancelToken } from '../../domain/fulfilment-wait';
import { getPolicy } from '../../domain/policy/registry';
import { hashSecret, identifierKindOf, reissueChallenge } from '../../domain/verification';
import { RequestNotFound } from '../request-writes';
import { cancelTokenHash, cancelUrl } from './cancel-link';
import { type IntakeDeps, sendVerificationCode } from './request-intake';

export type ResendCodeDeps = Pick<
  IntakeDeps,
  'requests' | 'secrets' | 'oneTimeSecrets' | 'mailer' | 'sms' | 'clock' | 'telemetry'
>;

export type ResendCodeResult = { readonly outcome: 'accepted' } | { readonly outcome: 'limit-reached' };

const ACCEPTED: ResendCodeResult = { outcome: 'accepted' };

export async function resendVerificationCode(
  deps: ResendCodeDeps,
  requestId: string,
): Promise<ResendCodeResult> {
  const record = await deps.requests.get(requestId).catch((error: unknown) => {
    if (error instanceof RequestNotFound) return undefined;
    throw error;
  });
  const method = record?.verification?.method;
  const recipient =
    method && record?.identifiers.find((identifier) => identifier.kind === identifierKindOf(method));
  if (record?.status !== 'pending-verification' || !record.verification || !method || !recipient) {
    return ACCEPTED;
  }

  const now = deps.clock.now();
  const code = deps.oneTimeSecrets.verificationCode();
  const decision = reissueChallenge(
    record.verification,
    hashSecret(await deps.secrets.hashKey(), 'verification-code', requestId, code),
    now,
  );
  if (decision.outcome === 'locked') return ACCEPTED;
  if (decision.outcome === 'limit-reached') {
    deps.telemetry.count('CodeResendLimit');
    return { outcome: 'limit-reached' };
  }
  // Each mail gets its own cancel link; the earlier mails' links keep working.
  const cancelToken = deps.oneTimeSecrets.bearerToken();
  const next = withCancelToken(
    { ...record, verification: decision.challenge },
    await cancelTokenHash(deps.secrets, requestId, cancelToken),
  );
  const saved = await deps.requests.save(record, next, [
    {
      type: 'verification-code-sent',
      actor: { kind: 'requester', id: 'status-link' },
      at: now.toISOString(),
      details: { to: recipient.masked, method, resend: decision.challenge.resends },
    },
  ]);
  await sendVerificationCode(deps, saved, {
    method,
    to: recipient.value,
    code,
    cancelUrl: cancelUrl(requestId, cancelToken),
    organisation: getPolicy(record.policyId).organisation,
  });
  return ACCEPTED;
}
