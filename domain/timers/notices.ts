/**
 * The words of the reply timers: reminders and alerts to the organisation's
 * staff, and the acknowledgement of receipt to requesters. Chinese and English
 * together, as every notice here. Staff mail names the request by its id and
 * its dates only, never the subject's identifiers: the console shows those to
 * whoever may see them.
 */
import type { PlainDate } from '../clock';
import type { Notice } from '../notices';

export interface StaffNoticeInput {
  readonly requestId: string;
  /** Request type, or undefined while an email request waits for triage. */
  readonly requestType: string | undefined;
  readonly policyName: string;
  readonly status: string;
}

function requestLines(input: StaffNoticeInput): string[] {
  return [
    `请求编号 / Request: ${input.requestId}`,
    `类型 / Type: ${input.requestType ?? '待分类 / needs triage'}`,
    `状态 / Status: ${input.status}`,
    `适用政策 / Policy: ${input.policyName}`,
  ];
}

export interface ReminderNoticeInput extends StaffNoticeInput {
  readonly fraction: number;
  readonly dueDate: PlainDate;
}

/** The handler is reminded that a share of the reply period has gone. */
export function reminderNotice(input: ReminderNoticeInput): Notice {
  const percent = Math.round(input.fraction * 100);
  return {
    subject: `答复期限提醒（已过 ${percent}%）/ Reply deadline reminder (${percent}% elapsed) ${input.requestId}`,
    text: [
      `此请求的答复期限已过 ${percent}%，须在 ${input.dueDate} 前答复。`,
      `${percent}% of the time to reply to this request has gone; the reply is due by ${input.dueDate}.`,
      '',
      ...requestLines(input),
    ].join('\n'),
  };
}

export interface BreachNoticeInput extends StaffNoticeInput {
  readonly dueDate: PlainDate;
  readonly assigned: boolean;
}

/** Supervisors are told that a request has passed its legal reply deadline. */
export function breachNotice(input: BreachNoticeInput): Notice {
  return {
    subject: `已超过答复期限 / Reply deadline missed ${input.requestId}`,
    text: [
      `此请求的答复期限 ${input.dueDate} 已过，请求仍未完成。`,
      `The reply to this request was due by ${input.dueDate} and the request is still open.`,
      input.assigned ? '' : '此请求尚未分配处理人。/ Nobody is assigned to this request.',
      '',
      ...requestLines(input),
    ].join('\n'),
  };
}

export interface AcknowledgementNoticeInput {
  readonly requestId: string;
  /** The reply's due date, or null while a verification-start clock waits for verification. */
  readonly dueDate: PlainDate | null;
  /** Whether the requester still has to prove who they are. */
  readonly verificationPending: boolean;
  readonly organisation: string;
}

/**
 * Confirms receipt, says how the request will be handled (identity first) and
 * when to expect the reply: what Cal. Code Regs. tit. 11 §7021(a) asks of a
 * confirmation of receipt.
 */
export function acknowledgementNotice(input: AcknowledgementNoticeInput): Notice {
  return {
    subject: `我们已收到您的请求 / We have received your request ${input.requestId}`,
    text: [
      '我们已收到您的个人信息请求。',
      'We have received your personal information request.',
      '',
      ...(input.verificationPending
        ? [
            '我们需要先核实您的身份：请使用我们发送给您的验证码，我们也可能请您提供更多信息。',
            'We first need to verify your identity: please use the code we sent you; we may ask you for more information.',
          ]
        : [
            '您的身份已核实，我们正在处理您的请求。',
            'Your identity has been verified and we are working on your request.',
          ]),
      '',
      ...(input.dueDate
        ? [`我们将在 ${input.dueDate} 前答复。`, `We will reply by ${input.dueDate}.`]
        : [
            '核实身份后，我们将告知答复期限。',
            'We will confirm our reply deadline once your identity is verified.',
          ]),
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      '',
      input.organisation,
    ].join('\n'),
  };
}

export interface AcknowledgementAlertInput extends StaffNoticeInput {
  readonly acknowledgeBy: PlainDate;
  readonly late: boolean;
}

/** No email address to acknowledge to (a request taken by phone or post): staff must do it another way. */
export function acknowledgementAlertNotice(input: AcknowledgementAlertInput): Notice {
  return {
    subject: input.late
      ? `确认收到已逾期 / Acknowledgement overdue ${input.requestId}`
      : `请确认收到请求 / Acknowledge this request ${input.requestId}`,
    text: [
      `须在 ${input.acknowledgeBy} 前向请求人确认收到此请求并告知答复期限；请求人没有电子邮件地址，请通过其他方式告知。`,
      `Receipt of this request must be confirmed to the requester, with the reply date, by ${input.acknowledgeBy}; the requester has no email address, so tell them another way.`,
      ...(input.late ? ['', '此期限已过。/ That date has passed.'] : []),
      '',
      ...requestLines(input),
    ].join('\n'),
  };
}

export interface ExplanationNoticeInput extends StaffNoticeInput {
  readonly postponedOn: PlainDate;
  readonly explanationDueDate: PlainDate;
  readonly overdue: boolean;
}

/**
 * A postponed request whose explanation is not known to have reached the
 * requester (the postponement notice failed, or there was no address).
 */
export function explanationNotice(input: ExplanationNoticeInput): Notice {
  return {
    subject: input.overdue
      ? `延期说明已逾期 / Explanation of postponement overdue ${input.requestId}`
      : `请向请求人说明延期原因 / Explain the postponement ${input.requestId}`,
    text: [
      `此请求于 ${input.postponedOn} 延期，须在 ${input.explanationDueDate} 前向请求人说明原因，但没有延期通知已送达的记录。`,
      `This request was postponed on ${input.postponedOn}; the requester must be given the reasons by ${input.explanationDueDate}, and no postponement notice is recorded as sent.`,
      ...(input.overdue ? ['', '此期限已过。/ That date has passed.'] : []),
      '',
      ...requestLines(input),
    ].join('\n'),
  };
}
