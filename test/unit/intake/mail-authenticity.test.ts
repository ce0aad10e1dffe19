import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  judgeMail,
  type MailVerdicts,
  SES_VERDICT_STATUSES,
  SES_VERDICTS,
} from '../../../domain/mail-authenticity';

/** Any verdicts SES could give, each possibly absent, plus statuses it does not document. */
const verdicts: fc.Arbitrary<MailVerdicts> = fc.record(
  Object.fromEntries(
    SES_VERDICTS.map((name) => [
      name,
      fc.oneof(fc.constantFrom(...SES_VERDICT_STATUSES), fc.constantFrom('fail', 'UNKNOWN', '')),
    ]),
  ) as Record<(typeof SES_VERDICTS)[number], fc.Arbitrary<string>>,
  { requiredKeys: [] },
);

const isFail = (status: string | undefined) => status?.toUpperCase() === 'FAIL';

describe('judging a mail by its SES verdicts', () => {
  it.each([
    [{ dmarc: 'FAIL' }, ['suspected-spoofing'], ['dmarc']],
    [{ spf: 'FAIL', dmarc: 'PASS' }, ['suspected-spoofing'], ['spf']],
    [{ spam: 'FAIL', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' }, ['spam'], []],
    [{ dmarc: 'FAIL', spam: 'FAIL' }, ['suspected-spoofing', 'spam'], ['dmarc']],
    [{ dkim: 'FAIL', spf: 'PASS', dmarc: 'PASS' }, [], ['dkim']],
    [{ spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY', spam: 'DISABLED', virus: 'DISABLED' }, [], []],
    [{}, [], []],
  ] as const)('accepts %j flagged %j', (given, flags, failedChecks) => {
    expect(judgeMail(given)).toEqual({ verdict: 'accepted', flags, failedChecks });
  });

  it('rejects a virus whatever else the verdicts say', () => {
    fc.assert(
      fc.property(verdicts, (given) => {
        expect(judgeMail({ ...given, virus: 'FAIL' })).toEqual({ verdict: 'rejected', reason: 'virus' });
      }),
    );
  });

  it('marks suspected spoofing exactly when DMARC or SPF failed, and spam exactly when spam failed', () => {
    fc.assert(
      fc.property(verdicts, (given) => {
        const judgement = judgeMail(given);
        if (isFail(given.virus)) return;
        if (judgement.verdict !== 'accepted') throw new Error('only a virus is rejected');
        expect(judgement.flags.includes('suspected-spoofing')).toBe(isFail(given.dmarc) || isFail(given.spf));
        expect(judgement.flags.includes('spam')).toBe(isFail(given.spam));
      }),
    );
  });

  it('never reads anything but FAIL as a failure (GRAY, PROCESSING_FAILED and DISABLED say nothing)', () => {
    fc.assert(
      fc.property(verdicts, (given) => {
        const withoutFailures = Object.fromEntries(
          Object.entries(given).filter(([, status]) => !isFail(status)),
        );
        expect(judgeMail(withoutFailures)).toEqual({ verdict: 'accepted', flags: [], failedChecks: [] });
      }),
    );
  });
});
