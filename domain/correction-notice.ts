/**
 * The requester's notice of a correction's outcome, in Chinese and English
 * like the others (domain/notices.ts). It names the stores and fields, never
 * the old or new values: mail passes through servers we do not control, and
 * the requester knows what they asked for.
 */
import type { Notice } from './notices';
import { COMPLAINT_RIGHTS } from './notices';
import type { Regime } from './policy/regimes';

export interface CorrectionNoticeInput {
  readonly requestId: string;
  readonly status: 'fulfilled' | 'partially-fulfilled';
  readonly stores: readonly {
    readonly description: string;
    /** Fields corrected (or found already right) in this store. */
    readonly fields: readonly string[];
    /** Why the store could not be corrected yet; absent when it was. */
    readonly notDone?: string;
  }[];
  readonly regime: Regime;
  readonly organisation: string;
}

export function correctionNotice(input: CorrectionNoticeInput): Notice {
  const headline =
    input.status === 'fulfilled'
      ? ['您的更正请求已完成。', 'Your correction request has been completed.']
      : [
          '您的更正请求已部分完成，其余部分我们仍在处理。',
          'Your correction request has been partly completed; we are still working on the rest.',
        ];
  const complaint = COMPLAINT_RIGHTS[input.regime];
  return {
    subject: `更正请求结果 / Result of your correction request ${input.requestId}`,
    text: [
      ...headline,
      '',
      ...input.stores.map((store) =>
        store.notDone === undefined
          ? `- ${store.description}: 已更正 / corrected — ${store.fields.join(', ')}`
          : `- ${store.description}: 未完成 / not completed — ${store.notDone}`,
      ),
      '',
      '如您认为仍有信息不准确或不完整，可以再次提出更正请求。',
      'If anything is still inaccurate or incomplete, you may ask us again to correct it.',
      ...(input.status === 'partially-fulfilled' ? ['', complaint.zh, complaint.en] : []),
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      '',
      input.organisation,
    ].join('\n'),
  };
}
