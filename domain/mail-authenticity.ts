/**
 * What SES's receipt verdicts say about one inbound mail, judged before it can
 * become a request.
 *
 * Why it matters: the sender's From: address is the identity an email request
 * is verified against, and an attached ID document is what an agent may
 * approve identity on. A mail whose From: is forged (DMARC or SPF FAIL) must
 * not reach an agent as an ordinary request of that address's owner, and no
 * code is mailed to the forged address (it would land with the real owner,
 * who asked for nothing). Only FAIL counts: GRAY, PROCESSING_FAILED and
 * DISABLED say nothing either way (local mode gives GRAY), and are never read
 * as PASS. DKIM FAIL alone is not spoofing (a mailing list that rewrites the
 * body breaks DKIM); DMARC, which needs SPF or DKIM aligned with From:, is the
 * verdict about From:, and SPF FAIL is the domain's own word that the sending
 * host is not allowed to send for it.
 */

/** The verdicts SES gives a received mail (receipt.*Verdict.status). */
export const SES_VERDICTS = ['spf', 'dkim', 'dmarc', 'spam', 'virus'] as const;
export type SesVerdictName = (typeof SES_VERDICTS)[number];

/** SES's verdict statuses; anything else an event carries is treated as no verdict. */
export const SES_VERDICT_STATUSES = ['PASS', 'FAIL', 'GRAY', 'PROCESSING_FAILED', 'DISABLED'] as const;
export type SesVerdictStatus = (typeof SES_VERDICT_STATUSES)[number];

/** Each verdict SES gave, as given (absent where the event had none). */
export type MailVerdicts = Partial<Readonly<Record<SesVerdictName, string>>>;

/** How a request taken in from a mail is marked for the agent who triages it. */
export const MAIL_FLAGS = ['suspected-spoofing', 'spam'] as const;
export type MailFlag = (typeof MAIL_FLAGS)[number];

export type MailJudgement =
  | { readonly verdict: 'rejected'; readonly reason: 'virus' }
  | {
      readonly verdict: 'accepted';
      /** Empty for a mail nothing is wrong with; otherwise the request goes to triage so marked. */
      readonly flags: readonly MailFlag[];
      /** The sender-authentication checks that failed (for the trail), in SES_VERDICTS order. */
      readonly failedChecks: readonly SesVerdictName[];
    };

const failed = (verdicts: MailVerdicts, name: SesVerdictName) => verdicts[name]?.toUpperCase() === 'FAIL';

/** Judges a mail by its verdicts alone: rejected (virus), or accepted with the flags its request carries. */
export function judgeMail(verdicts: MailVerdicts): MailJudgement {
  if (failed(verdicts, 'virus')) return { verdict: 'rejected', reason: 'virus' };
  const failedChecks = (['spf', 'dkim', 'dmarc'] as const).filter((name) => failed(verdicts, name));
  const flags: MailFlag[] = [];
  if (failed(verdicts, 'dmarc') || failed(verdicts, 'spf')) flags.push('suspected-spoofing');
  if (failed(verdicts, 'spam')) flags.push('spam');
  return { verdict: 'accepted', flags, failedChecks };
}
