/**
 * Every word the requester pages show, in Chinese and English together (the
 * seeds' organisations serve both, and a requester should not have to find a
 * language switch before they can ask for their data). Keyed by the domain's
 * own vocabularies, so TypeScript refuses a request type, status or audit
 * event without a label.
 */
import type { AuditEventType } from '../domain/audit';
import type { StoreResult } from '../domain/fulfilment';
import { type ActorKind, REQUEST_STATUSES, type RequestStatus, TERMINAL_STATUSES } from '../domain/lifecycle';
import type { PolicyProfile } from '../domain/policy/schema';
import type { Channel, RequesterRole, RequestType } from '../domain/request';

export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

export interface RequestTypeText {
  readonly label: Bilingual;
  readonly explanation: Bilingual;
}

export const REQUEST_TYPE_TEXT: Readonly<Record<RequestType, RequestTypeText>> = {
  access: {
    label: { zh: '查阅', en: 'See my data' },
    explanation: {
      zh: '查看我们持有您的哪些个人信息，以及如何使用。',
      en: 'See what personal information we hold about you and how we use it.',
    },
  },
  copy: {
    label: { zh: '复制', en: 'Get a copy' },
    explanation: { zh: '获取您个人信息的副本。', en: 'Receive a copy of your personal information.' },
  },
  portability: {
    label: { zh: '转移', en: 'Transfer to another organisation' },
    explanation: {
      zh: '将您的个人信息发送给您指定的其他机构。',
      en: 'Have your information sent to another organisation that you name.',
    },
  },
  correction: {
    label: { zh: '更正、补充', en: 'Correct' },
    explanation: {
      zh: '更正不准确的信息，或补充不完整的信息。',
      en: 'Correct information that is wrong, or complete what is missing.',
    },
  },
  deletion: {
    label: { zh: '删除', en: 'Delete' },
    explanation: { zh: '删除您的个人信息。', en: 'Have your personal information erased.' },
  },
  'withdraw-consent': {
    label: { zh: '撤回同意', en: 'Withdraw consent' },
    explanation: {
      zh: '撤回您此前对处理个人信息作出的同意。',
      en: 'Withdraw a consent you gave us to process your information.',
    },
  },
  'account-cancellation': {
    label: { zh: '注销账号', en: 'Close my account' },
    explanation: {
      zh: '注销您的账号（法律要求保留的记录除外）。',
      en: 'Close your account (records the law requires us to keep are kept).',
    },
  },
  'explain-rules': {
    label: { zh: '解释处理规则', en: 'Explain the rules' },
    explanation: {
      zh: '请我们解释如何处理您的个人信息。',
      en: 'Ask us to explain how and why we process your information.',
    },
  },
  'restrict-processing': {
    label: { zh: '限制或拒绝处理', en: 'Restrict processing' },
    explanation: {
      zh: '限制或拒绝我们对您个人信息的处理。',
      en: 'Restrict, or object to, how we process your information.',
    },
  },
};

/** `{age}` is replaced by the selected policy's guardian age. */
export const REQUESTER_ROLE_TEXT: Readonly<Record<RequesterRole, Bilingual>> = {
  self: { zh: '本人', en: 'I am the person the data is about' },
  guardian: { zh: '未满 {age} 周岁未成年人的监护人', en: 'Guardian of a child under {age}' },
  'authorised-agent': { zh: '受委托的代理人', en: 'Authorised agent' },
  'next-of-kin': { zh: '已故者的近亲属', en: 'Next of kin of a deceased person' },
};

/** How a status looks: the tone picks the badge colour. */
export type StatusTone = 'waiting' | 'working' | 'done' | 'stopped';

export const STATUS_TEXT: Readonly<Record<RequestStatus, Bilingual & { readonly tone: StatusTone }>> = {
  received: { zh: '已收到', en: 'Received', tone: 'working' },
  'pending-verification': { zh: '待核实身份', en: 'Waiting for verification', tone: 'waiting' },
  verified: { zh: '身份已核实', en: 'Verified', tone: 'working' },
  'in-progress': { zh: '处理中', en: 'In progress', tone: 'working' },
  // The requester is not asked to act: our team finishes the work (the clock keeps running).
  'needs-attention': {
    zh: '处理中（待人工跟进）',
    en: 'In progress: our team is following up',
    tone: 'working',
  },
  'awaiting-requester': { zh: '等待您的回复', en: 'Waiting for you', tone: 'waiting' },
  extended: { zh: '已延期', en: 'Extended', tone: 'working' },
  fulfilled: { zh: '已完成', en: 'Completed', tone: 'done' },
  'partially-fulfilled': { zh: '部分完成', en: 'Partly completed', tone: 'done' },
  refused: { zh: '已拒绝', en: 'Refused', tone: 'stopped' },
  cancelled: { zh: '已取消', en: 'Cancelled', tone: 'stopped' },
  'expired-unverified': { zh: '未核实，已关闭', en: 'Closed: never verified', tone: 'stopped' },
};

/**
 * Statuses after which the reply clock no longer matters to the requester: the
 * countdown gives way to "closed" (a completed request is not "overdue").
 */
export const CLOSED_STATUSES: readonly RequestStatus[] = REQUEST_STATUSES.filter(
  (status) => TERMINAL_STATUSES.includes(status) || status === 'partially-fulfilled',
);

/**
 * Every audit event, not only those the status API shows today, so that an
 * event made visible later cannot reach the page without words.
 */
export const TIMELINE_TEXT: Readonly<Record<AuditEventType, Bilingual>> = {
  'request-received': { zh: '收到请求', en: 'Request received' },
  'status-changed': { zh: '状态变更', en: 'Status changed' },
  'verification-code-sent': { zh: '已发送验证码', en: 'Verification code sent' },
  'verification-failed': { zh: '验证码错误', en: 'Wrong code entered' },
  'verification-locked': { zh: '验证已锁定', en: 'Verification locked' },
  'identity-held': { zh: '转由工作人员核实身份', en: 'Identity to be checked by our team' },
  'identity-verified': { zh: '身份已核实', en: 'Identity verified' },
  'clock-paused': { zh: '计时暂停', en: 'Clock paused' },
  'clock-resumed': { zh: '计时恢复', en: 'Clock resumed' },
  'deadline-extended': { zh: '答复期限已延长', en: 'Reply deadline extended' },
  'deadline-recomputed': {
    zh: '答复期限已按官方节假日安排确认',
    en: 'Reply deadline confirmed on the official holiday calendar',
  },
  'reminder-sent': { zh: '已发送提醒', en: 'Reminder sent' },
  'deadline-breached': { zh: '已超过答复期限', en: 'Reply deadline passed' },
  'store-processed': { zh: '一个数据源已处理', en: 'A data store was processed' },
  'store-failed': { zh: '一个数据源处理失败', en: 'A data store could not be processed' },
  'manual-task-opened': { zh: '一个数据源需人工处理', en: 'A data store is being handled by a person' },
  'manual-task-done': { zh: '人工处理已完成', en: 'A person finished handling a data store' },
  'stores-redriven': { zh: '正在重新处理数据源', en: 'Data stores are being processed again' },
  'workflow-failed': { zh: '处理中断，已转人工跟进', en: 'Processing stopped; our team is following up' },
  'package-created': { zh: '您的数据包已生成', en: 'Your data package is ready' },
  'download-link-issued': { zh: '已发送下载链接', en: 'Download link sent' },
  'download-link-used': { zh: '下载链接已使用', en: 'Download link used' },
  'download-link-revoked': { zh: '下载链接已撤销', en: 'Download link revoked' },
  'package-transferred': {
    zh: '您的数据已转移至您指定的接收方',
    en: 'Your data was transferred to the recipient you named',
  },
  'transfer-failed': { zh: '未能转移至您指定的接收方', en: 'The transfer to the recipient you named failed' },
  'notification-sent': { zh: '已发送通知', en: 'Notification sent' },
  'notification-failed': { zh: '通知发送失败', en: 'Notification not delivered' },
  'correction-applied': { zh: '已更正', en: 'Correction made' },
  'note-added': { zh: '已添加备注', en: 'Note added' },
  assigned: { zh: '已指派处理人', en: 'Handler assigned' },
  triaged: { zh: '已确认请求类型', en: 'Request type confirmed' },
  'rejected-input': { zh: '输入未被接受', en: 'Input not accepted' },
  'identifiers-revealed': { zh: '主管查看了完整标识', en: 'Identifiers shown to a supervisor' },
  'fulfilment-approved': { zh: '已批准处理', en: 'Handling approved' },
  'fulfilment-wait-ended': { zh: '等待期结束，开始处理', en: 'Waiting period over; handling starts' },
  'repeat-flagged': { zh: '已标记为重复请求', en: 'Marked as a repeated request' },
  'personal-data-minimised': {
    zh: '保留期满，明文个人信息已替换为掩码',
    en: 'Clear personal data replaced by masked values after retention',
  },
  'earlier-exports-revoked': {
    zh: '已撤销此前的下载链接并删除数据包',
    en: 'Earlier download links revoked and packages deleted',
  },
  'calendar-notice-imported': { zh: '已导入节假日安排通知', en: 'Official holiday notice imported' },
  'evidence-pack-downloaded': { zh: '已下载证据包', en: 'Evidence pack downloaded' },
};

/**
 * A Chinese gloss for each problem code the pages can receive; the API's own
 * (English) message is shown beside it, because it carries specifics such as
 * the number of tries left.
 */
export const PROBLEM_TEXT: Readonly<Record<string, Bilingual>> = {
  'invalid-field': { zh: '请检查此项', en: 'Please check this field' },
  'unknown-policy': { zh: '没有这项隐私政策', en: 'No such privacy policy' },
  'unknown-residence': { zh: '请从列表中选择您的居住地', en: 'Choose where you live from the list' },
  'malformed-json': { zh: '请求格式错误', en: 'The request was malformed' },
  'payload-too-large': { zh: '内容过长', en: 'Too much text' },
  'idempotency-key-reused': {
    zh: '此表单已提交过不同的内容，请刷新页面后重试',
    en: 'This form was already sent with different content; reload the page and try again',
  },
  'request-in-progress': { zh: '正在处理您的提交，请稍候', en: 'Your submission is still being processed' },
  'wrong-code': { zh: '验证码错误', en: 'Wrong code' },
  'code-expired': { zh: '验证码已过期', en: 'The code has expired' },
  'verification-locked': {
    zh: '错误次数过多，已锁定；工作人员会与您联系',
    en: 'Too many wrong codes; an agent will contact you',
  },
  'not-awaiting-verification': { zh: '此请求无需再输入验证码', en: 'This request needs no code now' },
  'not-found': { zh: '找不到此请求，或链接不完整', en: 'No such request, or the link is incomplete' },
  internal: { zh: '服务暂时出错，请稍后再试', en: 'Something went wrong on our side; try again later' },
  network: {
    zh: '无法连接服务器，请检查网络后重试',
    en: 'Could not reach the server; check your connection',
  },
  unauthorized: { zh: '未登录或登录已过期，请重新粘贴令牌', en: 'Not signed in, or the token has expired' },
  forbidden: { zh: '您的角色无权执行此操作', en: 'Your role may not do this' },
  'supervisor-required': { zh: '此操作需要主管', en: 'A supervisor must do this' },
  'invalid-notice': { zh: '通知文件有误，未导入', en: 'The notice has problems and was not imported' },
  'notice-exists': { zh: '该年份已有通知；如需替换请勾选“替换”', en: 'That year already has a notice' },
  'notice-year-mismatch': { zh: '文件年份与所选年份不符', en: 'The notice is for another year' },
};

/** What the form's own checks say; the same rules as domain/submission.ts. */
export const VALIDATION_TEXT = {
  typeRequired: { zh: '请选择请求类型', en: 'Choose what you are asking for' },
  emailRequired: { zh: '请填写电子邮箱或手机号码', en: 'Enter an email address or a phone number' },
  emailInvalid: { zh: '请填写有效的电子邮箱', en: 'Enter a valid email address' },
  phoneInvalid: {
    zh: '请填写有效的电话号码（6 至 15 位数字，可带 +）',
    en: 'Enter a valid phone number (6 to 15 digits, + allowed)',
  },
  accountIdInvalid: {
    zh: '账号只能包含字母、数字和 . - _ : @',
    en: 'An account ID has only letters, digits and . - _ : @',
  },
  tooLong: { zh: '内容过长（最多 {max} 个字符）', en: 'Too long (at most {max} characters)' },
  relationRequired: {
    zh: '代他人提出请求时，请说明您与其关系',
    en: 'Say how you are related to the person when acting for them',
  },
  recipientRequired: { zh: '请填写接收机构名称', en: 'Name the organisation to send the data to' },
  endpointRequired: { zh: '请填写接收地址', en: 'Enter the address to send the data to' },
  endpointHttps: {
    zh: '接收地址须为 https:// 开头的完整网址',
    en: 'The address must be a full URL starting with https://',
  },
  codeFormat: { zh: '请输入邮件中的 8 位数字', en: 'Enter the 8 digits from the email' },
} as const satisfies Record<string, Bilingual>;

/** The words for a clock's unit, as used in CLOCK_PROMISE_TEXT; English has a singular for a length of 1. */
export const UNIT_TEXT: Readonly<
  Record<PolicyProfile['clock']['unit'], Bilingual & { readonly enOne: string }>
> = {
  'calendar-days': { zh: '日', en: 'calendar days', enOne: 'calendar day' },
  'working-days': { zh: '个工作日', en: 'working days', enOne: 'working day' },
  months: { zh: '个月', en: 'months', enOne: 'month' },
};

/** A policy's reply promise by when its clock starts; `{length}` and `{unit}` are filled in. */
export const CLOCK_PROMISE_TEXT: Readonly<Record<PolicyProfile['clock']['start'], Bilingual>> = {
  verification: {
    zh: '自核实您的身份之日起 {length} {unit}内答复',
    en: 'We reply within {length} {unit} of verifying your identity',
  },
  receipt: {
    zh: '自收到请求之日起 {length} {unit}内答复',
    en: 'We reply within {length} {unit} of receiving your request',
  },
};

/** The policy's reply promise in a sentence, e.g. "We reply within 15 calendar days of verifying your identity". */
export function clockSummary(policy: Pick<PolicyProfile, 'clock'>): Bilingual {
  const { start, unit, length } = policy.clock;
  const fill = (template: string, unitText: string) =>
    template.replace('{length}', String(length)).replace('{unit}', unitText);
  const units = UNIT_TEXT[unit];
  return {
    zh: fill(CLOCK_PROMISE_TEXT[start].zh, units.zh),
    en: fill(CLOCK_PROMISE_TEXT[start].en, length === 1 ? units.enOne : units.en),
  };
}

/**
 * The console's words for a status: the requester pages speak to the
 * requester ("Waiting for you"), the console to an agent about the requester.
 */
export const CONSOLE_STATUS_TEXT: Readonly<Record<RequestStatus, Bilingual & { readonly tone: StatusTone }>> =
  {
    ...STATUS_TEXT,
    'awaiting-requester': { zh: '等待请求人回复', en: 'Waiting for the requester', tone: 'waiting' },
    'needs-attention': {
      zh: '需人工处理：流程已中断',
      en: 'Needs attention: the workflow stopped',
      tone: 'stopped',
    },
  };

export const CHANNEL_TEXT: Readonly<Record<Channel, Bilingual>> = {
  web: { zh: '网页', en: 'Web form' },
  email: { zh: '电子邮件', en: 'Email' },
  console: { zh: '工作人员录入', en: 'Taken by an agent' },
  api: { zh: 'API', en: 'API' },
};

/** Who did something, in the console's timeline; an agent is also named by user name. */
export const ACTOR_TEXT: Readonly<Record<ActorKind, Bilingual>> = {
  requester: { zh: '请求人', en: 'Requester' },
  agent: { zh: '工作人员', en: 'Agent' },
  system: { zh: '系统', en: 'System' },
};

/** A data store's part of the fulfilment, as the console shows it; the tone picks the badge colour. */
export const STORE_RESULT_TEXT: Readonly<
  Record<StoreResult['status'], Bilingual & { readonly tone: StatusTone }>
> = {
  exported: { zh: '已导出', en: 'Exported', tone: 'done' },
  erased: { zh: '已删除', en: 'Erased', tone: 'done' },
  'waiting-for-agent': { zh: '等待人工处理', en: 'Waiting for an agent', tone: 'waiting' },
  failed: { zh: '失败', en: 'Failed', tone: 'stopped' },
};
