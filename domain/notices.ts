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
