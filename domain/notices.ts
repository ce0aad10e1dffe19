/**
 * The words we send to requesters, in Chinese and English together (the
 * seeds' organisations serve both). Pure templates: no PII beyond what the
 * recipient gave us, never the full identifier of anyone else.
 */

export interface Notice {
  readonly subject: string;
  readonly text: string;
}

export interface VerificationNoticeInput {
  readonly requestId: string;
  readonly code: string;
  readonly lifetimeMinutes: number;
  /** Absent when resending a code: only the first mail carries the status link (its token is not kept). */
  readonly statusUrl?: string;
  readonly organisation: string;
}

export function verificationNotice(input: VerificationNoticeInput): Notice {
  return {
    subject: `验证您的个人信息请求 / Verify your personal information request ${input.requestId}`,
    text: [
      `您的验证码是 / Your verification code is: ${input.code}`,
      '',
      `${input.lifetimeMinutes} 分钟内有效。如果您没有提出此请求，请忽略本邮件。`,
      `It is valid for ${input.lifetimeMinutes} minutes. If you did not make this request, ignore this email.`,
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      ...(input.statusUrl ? [`查看进度 / Track progress: ${input.statusUrl}`] : []),
      '',
      input.organisation,
    ].join('\n'),
  };
}

export interface ReceiptNoticeInput {
  readonly requestId: string;
  readonly statusUrl: string;
  readonly dueDate: string | null;
  readonly organisation: string;
}

/** Acknowledges a request whose identity check is done by an agent rather than by code. */
export function receiptNotice(input: ReceiptNoticeInput): Notice {
  const due = input.dueDate
    ? [`我们将在 ${input.dueDate} 前答复。`, `We will reply by ${input.dueDate}.`]
    : [
        '核实身份后，我们将告知答复期限。',
        'We will confirm our reply deadline once your identity is verified.',
      ];
  return {
    subject: `我们已收到您的请求 / We have received your request ${input.requestId}`,
    text: [
      ...due,
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      `查看进度 / Track progress: ${input.statusUrl}`,
      '',
      input.organisation,
    ].join('\n'),
  };
}

export interface ErasureSummaryInput {
  readonly requestId: string;
  readonly status: 'fulfilled' | 'partially-fulfilled';
  readonly stores: readonly {
    readonly description: string;
    readonly deleted: number;
    readonly anonymised: number;
    readonly retained: number;
    readonly retainedBases: readonly string[];
    readonly failed?: string;
  }[];
  readonly backupCaveat?: string;
  readonly organisation: string;
}

/** What erasure did, store by store, including what we keep and on which legal basis. */
export function erasureSummaryNotice(input: ErasureSummaryInput): Notice {
  const lines = input.stores.map((store) =>
    store.failed
      ? `- ${store.description}: 未完成 / not completed — ${store.failed}`
      : `- ${store.description}: 删除 deleted ${store.deleted}, 匿名化 anonymised ${store.anonymised}, 保留 retained ${store.retained}${
          store.retainedBases.length ? ` (${store.retainedBases.join('; ')})` : ''
        }`,
  );
  const headline =
    input.status === 'fulfilled'
      ? ['您的删除请求已完成。', 'Your deletion request has been completed.']
      : [
          '您的删除请求已部分完成，我们正在处理其余部分。',
          'Your deletion request has been partly completed; we are working on the rest.',
        ];
  return {
    subject: `删除请求结果 / Result of your deletion request ${input.requestId}`,
    text: [
      ...headline,
      '',
      ...lines,
      '',
      '保留的记录仅在法律要求的期限内保存，且不再用于其他处理。',
      'Retained records are kept only for the period the law requires and are not otherwise processed.',
      ...(input.backupCaveat ? ['', input.backupCaveat] : []),
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      '',
      input.organisation,
    ].join('\n'),
  };
}

export interface PackageReadyInput {
  readonly requestId: string;
  readonly downloadUrl: string;
  readonly expiresAt: string;
  readonly totalRecords: number;
  readonly incompleteStores: readonly string[];
  readonly organisation: string;
}

/** The download link for an access or copy request. */
export function packageReadyNotice(input: PackageReadyInput): Notice {
  return {
    subject: `您的个人信息副本已可下载 / Your personal data is ready to download ${input.requestId}`,
    text: [
      `下载链接 / Download link: ${input.downloadUrl}`,
      `链接有效期至 / The link expires at: ${input.expiresAt}`,
      '',
      `共 ${input.totalRecords} 条记录。/ ${input.totalRecords} records in total.`,
      ...(input.incompleteStores.length
        ? ['', `以下来源尚未完成 / Not yet included: ${input.incompleteStores.join(', ')}`]
        : []),
      '',
      '请勿转发此链接：任何持有链接的人都可以下载。',
      'Do not forward this link: anyone who has it can download the file.',
      '',
      input.organisation,
    ].join('\n'),
  };
}
