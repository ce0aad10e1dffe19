/**
 * The words we send to requesters, in Chinese and English together (the
 * seeds' organisations serve both). Pure templates: no PII beyond what the
 * recipient gave us, never the full identifier of anyone else.
 */
import type { RefusalGround } from './policy/refusal-grounds';
import type { Regime } from './policy/regimes';
import { REQUEST_TYPE_LABELS, type RequestType } from './request';

export interface Notice {
  readonly subject: string;
  readonly text: string;
}

/** What a code approves, by request type: the person reading the mail must know before typing it. */
export const APPROVED_ACTION: Readonly<Record<RequestType, { readonly zh: string; readonly en: string }>> = {
  access: { zh: '查阅您的个人信息', en: 'showing you the personal information we hold about you' },
  copy: { zh: '向您提供您个人信息的副本', en: 'sending you a copy of your personal information' },
  portability: {
    zh: '将您的个人信息转移给另一机构',
    en: 'transferring your personal information to another organisation',
  },
  correction: { zh: '更正或补充您的个人信息', en: 'correcting or completing your personal information' },
  deletion: {
    zh: '删除您的个人信息（不可撤销）',
    en: 'DELETING your personal information (cannot be undone)',
  },
  'withdraw-consent': {
    zh: '撤回您对处理个人信息的同意',
    en: 'withdrawing your consent to the processing of your personal information',
  },
  'account-cancellation': {
    zh: '注销您的账户（不可撤销）',
    en: 'CLOSING your account (cannot be undone)',
  },
  'explain-rules': {
    zh: '向您解释个人信息处理规则',
    en: 'explaining to you how we process personal information',
  },
  'restrict-processing': {
    zh: '限制或拒绝对您个人信息的处理',
    en: 'restricting our processing of your personal information',
  },
};

export interface ApprovedRequest {
  /** Undefined while an agent has yet to read what an emailed request asks for. */
  readonly type?: RequestType;
  /** For portability: who receives the data, and the host it is sent to. */
  readonly recipient?: { readonly name: string; readonly host: string };
  /** The name the requester gave, if any (the mail may reach someone who is not that person). */
  readonly requesterName?: string;
}

/** The lines that say what is being approved, in both languages. */
function approvedRequestLines(request: ApprovedRequest): string[] {
  const action = request.type ? APPROVED_ACTION[request.type] : undefined;
  return [
    action
      ? `此验证码将确认以下请求：${action.zh}。`
      : '此验证码将确认一项个人信息请求，其类型将由我们的工作人员根据您的来信确定。',
    action
      ? `This code approves a request for ${action.en}.`
      : 'This code approves a personal information request; our staff will confirm its type from your message.',
    ...(request.recipient
      ? [`接收方 / Recipient: ${request.recipient.name} (${request.recipient.host})`]
      : []),
    ...(request.requesterName ? [`提出人 / Made by: ${request.requesterName}`] : []),
  ];
}

function cancelLines(cancelUrl: string | undefined): string[] {
  return cancelUrl
    ? [
        '如果这不是您提出的请求，请点击以下链接取消（打开链接后还需确认）：',
        'If you did not make this request, cancel it here (you confirm on the page that opens):',
        cancelUrl,
      ]
    : ['如果您没有提出此请求，请忽略本邮件。', 'If you did not make this request, ignore this email.'];
}

export interface VerificationNoticeInput extends ApprovedRequest {
  readonly requestId: string;
  readonly code: string;
  readonly lifetimeMinutes: number;
  /** Absent when resending a code: only the first mail carries the status link (its token is not kept). */
  readonly statusUrl?: string;
  /** The "this was not me" page for this request (domain/fulfilment-wait.ts). */
  readonly cancelUrl?: string;
  readonly organisation: string;
}

export function verificationNotice(input: VerificationNoticeInput): Notice {
  return {
    subject: `验证您的个人信息请求 / Verify your personal information request ${input.requestId}`,
    text: [
      `您的验证码是 / Your verification code is: ${input.code}`,
      '',
      ...approvedRequestLines(input),
      '',
      `验证码 ${input.lifetimeMinutes} 分钟内有效。/ The code is valid for ${input.lifetimeMinutes} minutes.`,
      '',
      ...cancelLines(input.cancelUrl),
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      ...(input.statusUrl ? [`查看进度 / Track progress: ${input.statusUrl}`] : []),
      '',
      input.organisation,
    ].join('\n'),
  };
}

export interface FulfilmentWaitNoticeInput extends ApprovedRequest {
  readonly requestId: string;
  readonly type: RequestType;
  readonly waitHours: number;
  /** ISO instant before which nothing is done. */
  readonly notBefore: string;
  readonly cancelUrl: string;
  /** A supervisor approves it too before it is carried out (portability). */
  readonly awaitingApproval: boolean;
  readonly organisation: string;
}

/** Sent at verification of a type that cannot be undone: when it will be carried out, and how to stop it. */
export function fulfilmentWaitNotice(input: FulfilmentWaitNoticeInput): Notice {
  return {
    subject: `您的请求已验证，将在 ${input.waitHours} 小时后处理 / Your request is verified and will be carried out in ${input.waitHours} hours ${input.requestId}`,
    text: [
      ...approvedRequestLines(input),
      '',
      `我们将在 ${input.notBefore}（UTC）之后开始处理${input.awaitingApproval ? '，并须经主管批准' : ''}。`,
      `We will start no earlier than ${input.notBefore} (UTC)${input.awaitingApproval ? ', and only once a supervisor has approved it' : ''}.`,
      '',
      '如果这不是您提出的请求，请在此之前点击以下链接取消：',
      'If you did not make this request, cancel it before then here:',
      input.cancelUrl,
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      '',
      input.organisation,
    ].join('\n'),
  };
}

export interface VerificationSmsInput {
  readonly code: string;
  /** Undefined for a request still to be triaged. */
  readonly type: RequestType | undefined;
  readonly organisation: string;
  readonly locale: 'zh-CN' | 'en';
}

/**
 * The SMS that carries a code: both languages, the requester's first, and nothing but the
 * organisation, the request type and the code. A phone number is often shared or recycled, so the
 * text names no request id, status link or identifier, and it stays short (a few SMS segments).
 */
export function verificationSms(input: VerificationSmsInput): string {
  const [typeZh, typeEn] = input.type
    ? REQUEST_TYPE_LABELS[input.type]
    : ['个人信息', 'Personal information'];
  const zh = `【${input.organisation}】您的${typeZh}请求验证码：${input.code}`;
  const en = `${input.organisation}: ${typeEn} request code ${input.code}`;
  return input.locale === 'zh-CN' ? `${zh} / ${en}` : `${en} / ${zh}`;
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

export interface PackageReadySmsInput {
  readonly downloadUrl: string;
  /** ISO instant; the SMS gives its UTC date only. */
  readonly expiresAt: string;
  readonly organisation: string;
  readonly locale: 'zh-CN' | 'en';
}

/**
 * The download link by SMS, for a requester whose only verified contact is a phone: both languages,
 * the requester's first, and nothing but the organisation, the link and when it expires. As with a
 * code, the number may be shared or recycled, so no request id, identifier or data goes in the text.
 */
export function packageReadySms(input: PackageReadySmsInput): string {
  const until = input.expiresAt.slice(0, 10);
  const zh = `【${input.organisation}】您的个人信息副本下载链接（${until} 前有效，请勿转发）：${input.downloadUrl}`;
  const en = `${input.organisation}: your personal data download link (until ${until} UTC, do not forward): ${input.downloadUrl}`;
  return input.locale === 'zh-CN' ? `${zh} / ${en}` : `${en} / ${zh}`;
}

/**
 * Where a requester can take a refusal, by regime. PIPL: a complaint to the
 * departments with personal-information duties (art. 65) and a lawsuit in a
 * people's court when a processor refuses a request (art. 50 para. 2).
 */
export const COMPLAINT_RIGHTS: Readonly<Record<Regime, { readonly zh: string; readonly en: string }>> = {
  pipl: {
    zh: '如您对本决定有异议，可以向履行个人信息保护职责的部门（如网信部门）投诉、举报（《个人信息保护法》第六十五条），也可以依法向人民法院提起诉讼（《个人信息保护法》第五十条）。',
    en: "If you disagree with this decision, you may complain to the authorities responsible for personal information protection, such as the cyberspace administration (PIPL art. 65), or bring a lawsuit in a people's court (PIPL art. 50).",
  },
  gdpr: {
    zh: '您有权向数据保护监管机构投诉，并寻求司法救济（GDPR 第12条第4款、第77条、第79条）。',
    en: 'You have the right to lodge a complaint with a data protection supervisory authority and to seek a judicial remedy (GDPR arts. 12(4), 77 and 79).',
  },
  'uk-gdpr': {
    zh: '您有权向英国信息专员办公室（ICO）投诉，并寻求司法救济（英国 GDPR 第12条第4款、第77条、第79条）。',
    en: "You have the right to complain to the Information Commissioner's Office (ico.org.uk) and to seek a judicial remedy (UK GDPR arts. 12(4), 77 and 79).",
  },
  ccpa: {
    zh: '如您对本决定有异议，可以向加利福尼亚州隐私保护局（cppa.ca.gov）或加利福尼亚州总检察长投诉。',
    en: 'If you disagree with this decision, you may complain to the California Privacy Protection Agency (cppa.ca.gov) or the California Attorney General.',
  },
  lgpd: {
    zh: '您有权向巴西国家数据保护局（ANPD）申诉（LGPD 第18条第1款），也可以诉诸法院（LGPD 第22条）。',
    en: 'You have the right to petition the National Data Protection Authority (ANPD) (LGPD art. 18 §1) and to go to court (LGPD art. 22).',
  },
};

export interface RefusalNoticeInput {
  readonly requestId: string;
  readonly ground: Pick<RefusalGround, 'zh' | 'en'>;
  /** Why the ground applies, in the words of the person who decided. */
  readonly reason: string;
  readonly regime: Regime;
  readonly organisation: string;
}

/** The refusal: the ground in both languages, the reason, and how to complain. */
export function refusalNotice(input: RefusalNoticeInput): Notice {
  const complaint = COMPLAINT_RIGHTS[input.regime];
  return {
    subject: `关于您的个人信息请求的决定 / Decision on your personal information request ${input.requestId}`,
    text: [
      '我们无法满足您的请求，理由如下：',
      'We cannot act on your request, for this reason:',
      '',
      input.ground.zh,
      input.ground.en,
      '',
      `说明 / Explanation: ${input.reason}`,
      '',
      complaint.zh,
      complaint.en,
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      '',
      input.organisation,
    ].join('\n'),
  };
}

export interface ExtensionNoticeInput {
  readonly requestId: string;
  readonly dueDate: string | null;
  readonly reason?: string;
  readonly organisation: string;
}

/** A postponement of the reply, with the new date and why. */
export function extensionNotice(input: ExtensionNoticeInput): Notice {
  return {
    subject: `您的请求答复期限已延长 / More time to answer your request ${input.requestId}`,
    text: [
      input.dueDate
        ? `我们需要更多时间处理您的请求，将在 ${input.dueDate} 前答复。`
        : '我们需要更多时间处理您的请求，将另行告知答复日期。',
      input.dueDate
        ? `We need more time to handle your request and will reply by ${input.dueDate}.`
        : 'We need more time to handle your request and will confirm the date of our reply.',
      ...(input.reason ? ['', `原因 / Why: ${input.reason}`] : []),
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      '',
      input.organisation,
    ].join('\n'),
  };
}

export interface InformationRequestNoticeInput {
  readonly requestId: string;
  /** What we need from the requester, as the agent wrote it. */
  readonly message: string;
  /** Whether the reply clock stops until the requester answers. */
  readonly clockPaused: boolean;
  readonly organisation: string;
}

/** Asks the requester for what we need to go on. */
export function informationRequestNotice(input: InformationRequestNoticeInput): Notice {
  return {
    subject: `我们需要您提供更多信息 / We need more information for your request ${input.requestId}`,
    text: [
      input.message,
      '',
      ...(input.clockPaused
        ? [
            '在收到您的答复之前，答复期限暂停计算。',
            'Until you answer, the time we have to reply stands still.',
            '',
          ]
        : []),
      '联系我们时请注明请求编号。/ Please quote the request reference when you answer.',
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      '',
      input.organisation,
    ].join('\n'),
  };
}

export interface DeadlineRecomputedNoticeInput {
  readonly requestId: string;
  /** The due date the requester was given, counted before the year's official holiday notice. */
  readonly dueDateBefore: string;
  /** The due date on the official holiday calendar. */
  readonly dueDate: string;
  readonly organisation: string;
}

/**
 * The reply date the requester was given was counted before the year's official holiday arrangements
 * were published (in China, the State Council's annual notice); counted on them, it moves. Never earlier: the date first given was the
 * earliest the arrangements could make it.
 */
export function deadlineRecomputedNotice(input: DeadlineRecomputedNoticeInput): Notice {
  return {
    subject: `您的请求答复日期已更新 / New reply date for your request ${input.requestId}`,
    text: [
      `根据已正式公布的节假日安排，我们将在 ${input.dueDate} 前答复（此前告知的日期为 ${input.dueDateBefore}）。`,
      `Counted on the official holiday arrangements now published, we will reply by ${input.dueDate} (the date we gave you before was ${input.dueDateBefore}).`,
      '',
      '我们仍会尽快处理您的请求。',
      'We will still handle your request as soon as we can.',
      '',
      `请求编号 / Request reference: ${input.requestId}`,
      '',
      input.organisation,
    ].join('\n'),
  };
}
