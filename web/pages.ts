/**
 * The requester's pages as complete HTML documents: the request form (`/`)
 * and the status page (`/status`). Each page is one document with its style
 * and script inline, so nothing else is fetched (the pages work offline and
 * behind any API Gateway without a static-file host), and the
 * Content-Security-Policy allows exactly those inline blocks by hash.
 */
import { AGENT_IDENTITY_METHODS, type AgentIdentityMethod } from '../domain/console/case-records';
import { escapeHtml } from '../domain/escape-html';
import { REQUEST_STATUSES } from '../domain/lifecycle';
import type { OrganisationSettings } from '../domain/policy/organisation';
import { REFUSAL_GROUNDS } from '../domain/policy/refusal-grounds';
import { getPolicy, listPolicies } from '../domain/policy/registry';
import type { PolicyProfile } from '../domain/policy/schema';
import { CHANNELS, REQUEST_TYPES, REQUESTER_ROLES } from '../domain/request';
import BUNDLES from './generated/bundles.json' with { type: 'json' };
import { bilingual as bi, cspHash } from './html';
import {
  type Bilingual,
  CHANNEL_TEXT,
  CONSOLE_STATUS_TEXT,
  clockSummary,
  REQUEST_TYPE_TEXT,
  REQUESTER_ROLE_TEXT,
} from './labels';
import { PAGE_CSS } from './styles';

/**
 * The inline script of each page: its entry in web/client bundled with what it
 * imports (scripts/build-web.ts, `npm run build:web`), with the bundle's hash.
 */
export const FORM_SCRIPT = BUNDLES.form.script;
export const STATUS_SCRIPT = BUNDLES.status.script;
export const CONSOLE_SCRIPT = BUNDLES.console.script;

/**
 * One policy for every page. Scripts and styles only by hash (no 'unsafe-inline',
 * so no inline event handlers or style attributes); requests only to this
 * origin; Trusted Types enforced with no policy allowed, so no HTML string can
 * reach an HTML sink even if a bug tried; no forms posted anywhere (the form is
 * sent by fetch); never framed.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${BUNDLES.form.hash} ${BUNDLES.status.hash} ${BUNDLES.console.hash}`,
  `style-src ${cspHash(PAGE_CSS)}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

const REQUESTER_FOOTER = bi({
  zh: '您在此提供的信息仅用于处理您的请求。',
  en: 'What you give here is used only to handle your request.',
});

function document(options: {
  title: Bilingual;
  header: string;
  body: string;
  script: string;
  /** The footer's text (HTML). @default what the requester is told about the use of their data */
  footer?: string;
  /** A wider column, for tables. @default false */
  wide?: boolean;
}): string {
  const wrap = options.wide ? 'wrap wide' : 'wrap';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title.zh)} · ${escapeHtml(options.title.en)}</title>
<link rel="icon" href="data:,">
<style>${PAGE_CSS}</style>
</head>
<body>
<header class="site"><div class="${wrap}"><p>${options.header}</p></div></header>
<main class="${wrap}">
${options.body}
<noscript><p class="notice notice-error">${bi({ zh: '此页面需要启用 JavaScript。', en: 'This page needs JavaScript.' })}</p></noscript>
</main>
<footer class="${wrap}"><p>${options.footer ?? REQUESTER_FOOTER}</p></footer>
<script type="module">${options.script}</script>
</body>
</html>
`;
}

/** Field path -> element id: `subject.email` -> `subject-email`. */
function idFor(field: string): string {
  return field.replace(/\./g, '-');
}

function errorSlot(field: string): string {
  return `<p class="field-error" id="error-${idFor(field)}"></p>`;
}

interface TextFieldOptions {
  readonly field: string;
  readonly label: Bilingual;
  readonly hint?: Bilingual;
  readonly type?: 'text' | 'email' | 'tel' | 'url';
  readonly autocomplete?: string;
  readonly multiline?: boolean;
  readonly extra?: string;
}

function textField(options: TextFieldOptions): string {
  const id = idFor(options.field);
  const describedBy = [options.hint ? `hint-${id}` : '', `error-${id}`].filter(Boolean).join(' ');
  const common = `id="${id}" name="${options.field}" aria-describedby="${describedBy}"${
    options.autocomplete ? ` autocomplete="${options.autocomplete}"` : ''
  }${options.extra ? ` ${options.extra}` : ''}`;
  const control = options.multiline
    ? `<textarea ${common} rows="5"></textarea>`
    : `<input type="${options.type ?? 'text'}" ${common}>`;
  return `<div class="field">
<label class="label" for="${id}">${bi(options.label)}</label>
${options.hint ? `<span class="hint" id="hint-${id}">${bi(options.hint)}</span>` : ''}
${control}
${errorSlot(options.field)}
</div>`;
}

function radioGroup(options: {
  readonly field: string;
  readonly legend: Bilingual;
  readonly choices: readonly { value: string; title: string; hint?: string; checked?: boolean }[];
}): string {
  const id = idFor(options.field);
  const choices = options.choices
    .map((choice) => {
      const choiceId = `${id}-${choice.value}`;
      const hintId = `hint-${choiceId}`;
      return `<label class="choice" for="${choiceId}">
<input type="radio" id="${choiceId}" name="${options.field}" value="${escapeHtml(choice.value)}"${
        choice.hint ? ` aria-describedby="${hintId}"` : ''
      }${choice.checked ? ' checked' : ''}>
<span class="choice-text"><span class="choice-title">${choice.title}</span>${
        choice.hint ? `<span class="hint" id="${hintId}">${choice.hint}</span>` : ''
      }</span>
</label>`;
    })
    .join('\n');
  return `<fieldset id="${id}" aria-describedby="error-${id}">
<legend>${bi(options.legend)}</legend>
<div class="choices">
${choices}
</div>
${errorSlot(options.field)}
</fieldset>`;
}

/** Replaces `{age}` in escaped text with the element the script updates when the policy changes. */
function withGuardianAge(text: string, age: number): string {
  return escapeHtml(text).replace('{age}', `<span class="guardian-age">${age}</span>`);
}

function verifyStep(intro: string, startOver: string): string {
  return `<section id="verify-step" class="card" aria-labelledby="verify-title" hidden>
<h2 id="verify-title" tabindex="-1">${bi({ zh: '查收验证码', en: 'Check your email for a code' })}</h2>
${intro}
<form id="verify-form" novalidate>
<div class="field">
<label class="label" for="code">${bi({ zh: '8 位验证码', en: '8-digit code' })}</label>
<input type="text" id="code" name="code" class="code-input" inputmode="numeric" autocomplete="one-time-code" spellcheck="false" aria-describedby="error-code">
<p class="field-error" id="error-code" aria-live="assertive"></p>
</div>
<div class="actions"><button type="submit" class="primary">${bi({ zh: '核实', en: 'Verify' })}</button></div>
</form>
<div id="verify-outcome" role="status"></div>
${startOver}
</section>`;
}

/** A place a requester may live in, as the form offers it: the organisation's settings, with the policy it maps to. */
export interface ResidenceChoice {
  readonly code: string;
  readonly name: Bilingual;
  readonly policy: PolicyProfile;
}

export interface FormPageOptions {
  /** The organisation's residences, in display order; the first is preselected (domain/policy/organisation.ts). */
  readonly residences: readonly ResidenceChoice[];
}

/**
 * The request form (`GET /`). The requester says where they live; the organisation's settings decide the
 * policy, which the form shows (its clock, guardian age, the rights it lists) but never lets them choose.
 */
export function formPage(options: FormPageOptions): string {
  const defaultPolicy = options.residences[0]?.policy;
  if (!defaultPolicy) throw new Error('The organisation lists no residence');
  const notOffered = bi({
    zh: '适用于您居住地的隐私政策未列出此项权利；您仍可提出，由工作人员处理。',
    en: 'The policy for where you live does not list this right; you may still ask, and a person will look at it.',
  });
  const typeChoices = REQUEST_TYPES.map((type) => ({
    value: type,
    title: bi(REQUEST_TYPE_TEXT[type].label),
    hint: `${bi(REQUEST_TYPE_TEXT[type].explanation)}<span class="not-offered" data-not-offered="${type}"${
      defaultPolicy.rightsOffered.includes(type) ? ' hidden' : ''
    }>${notOffered}</span>`,
  }));
  const roleChoices = REQUESTER_ROLES.map((role) => {
    const text = REQUESTER_ROLE_TEXT[role];
    return {
      value: role,
      title: `<span class="bi"><span lang="zh-CN">${withGuardianAge(text.zh, defaultPolicy.guardianAge)}</span> <span lang="en" class="en">${withGuardianAge(text.en, defaultPolicy.guardianAge)}</span></span>`,
      checked: role === 'self',
    };
  });
  const residenceOptions = options.residences
    .map(({ code, name, policy }, index) => {
      const clock = clockSummary(policy);
      return `<option value="${escapeHtml(code)}" data-clock-zh="${escapeHtml(clock.zh)}" data-clock-en="${escapeHtml(
        clock.en,
      )}" data-guardian-age="${policy.guardianAge}" data-rights="${escapeHtml(policy.rightsOffered.join(' '))}"${
        index === 0 ? ' selected' : ''
      }>${escapeHtml(name.zh)} ${escapeHtml(name.en)}</option>`;
    })
    .join('\n');
  const defaultClock = clockSummary(defaultPolicy);

  const body = `<section id="request-step">
<h1>${bi({ zh: '提出个人信息请求', en: 'Make a personal information request' })}</h1>
<p class="lede">${bi({
    zh: '通过此表单行使您对个人信息的权利。提交后，我们会先通过电子邮件核实是您本人。',
    en: 'Use this form to exercise your rights over your personal information. We first check by email that it is you.',
  })}</p>
<div id="form-errors" class="error-summary" role="alert" tabindex="-1"></div>
<form id="request-form" class="card" novalidate>
${radioGroup({ field: 'type', legend: { zh: '您想提出什么请求？', en: 'What are you asking for?' }, choices: typeChoices })}
<div class="field">
<label class="label" for="residence">${bi({ zh: '您的居住地', en: 'Where you live' })}</label>
<span class="hint" id="hint-residence"><span class="bi"><span lang="zh-CN" id="policy-clock-zh">${escapeHtml(
    defaultClock.zh,
  )}</span> <span lang="en" class="en" id="policy-clock-en">${escapeHtml(defaultClock.en)}</span></span></span>
<select id="residence" name="residence" aria-describedby="hint-residence error-residence">
${residenceOptions}
</select>
${errorSlot('residence')}
</div>
<fieldset>
<legend>${bi({ zh: '信息所属的人', en: 'The person the data is about' })}</legend>
${textField({
  field: 'subject.email',
  label: { zh: '电子邮箱', en: 'Email address' },
  hint: { zh: '我们会把 8 位验证码发到这个邮箱。', en: 'We send a 8-digit code to this address.' },
  type: 'email',
  autocomplete: 'email',
  extra: 'spellcheck="false" autocapitalize="off" required',
})}
<p class="hint" id="identifiers-note">${bi({
    zh: '手机号码和账号为选填，仅在核实之后才会用来查找您的信息。',
    en: 'Phone and account ID are optional, and are used to find your data only once verified.',
  })}</p>
<div class="two-up">
${textField({ field: 'subject.phone', label: { zh: '手机号码（选填）', en: 'Phone (optional)' }, type: 'tel', autocomplete: 'tel', extra: 'inputmode="tel"' })}
${textField({ field: 'subject.accountId', label: { zh: '账号（选填）', en: 'Account ID (optional)' }, autocomplete: 'username', extra: 'spellcheck="false" autocapitalize="off"' })}
</div>
</fieldset>
${radioGroup({ field: 'requester.role', legend: { zh: '您是谁？', en: 'Who is asking?' }, choices: roleChoices })}
<div id="acting-for" class="sub" hidden>
${textField({ field: 'requester.relation', label: { zh: '您与本人的关系', en: 'Your relation to the person' }, hint: { zh: '例如：母亲、律师', en: 'For example: mother, attorney' } })}
${textField({ field: 'requester.name', label: { zh: '您的姓名（选填）', en: 'Your name (optional)' }, autocomplete: 'name' })}
${textField({
  field: 'requester.proof',
  label: { zh: '您将提供的证明', en: 'Proof you will provide' },
  hint: {
    zh: '例如监护证明、授权委托书、死亡证明。工作人员会与您联系。',
    en: 'For example guardianship papers, a power of attorney, a death certificate. An agent will contact you.',
  },
  multiline: true,
})}
</div>
<div id="portability-target" class="sub" hidden>
${textField({ field: 'portabilityTarget.recipientName', label: { zh: '接收您信息的机构', en: 'Organisation to receive your data' }, autocomplete: 'organization' })}
${textField({
  field: 'portabilityTarget.endpoint',
  label: { zh: '接收地址（HTTPS）', en: "Recipient's HTTPS address" },
  hint: {
    zh: '以 https:// 开头的完整网址，由接收机构提供。',
    en: 'A full URL starting with https://, given by the recipient.',
  },
  type: 'url',
  extra: 'spellcheck="false" autocapitalize="off" placeholder="https://"',
})}
</div>
${textField({
  field: 'details',
  label: { zh: '补充说明（选填）', en: 'Details (optional)' },
  hint: {
    zh: '例如需要更正的内容、涉及的时间段。',
    en: 'For example what should be corrected, or the period concerned.',
  },
  multiline: true,
})}
${radioGroup({
  field: 'locale',
  legend: { zh: '我们用哪种语言回复您？', en: 'Which language should we reply in?' },
  choices: [
    { value: 'zh-CN', title: '<span lang="zh-CN">中文</span>' },
    { value: 'en', title: '<span lang="en">English</span>', checked: true },
  ],
})}
<div class="actions"><button type="submit" id="submit-request" class="primary">${bi({ zh: '提交请求', en: 'Submit request' })}</button></div>
</form>
</section>
${verifyStep(
  `<p>${bi({ zh: '我们已把 8 位验证码发送至：', en: 'We sent a 8-digit code to:' })} <strong id="verify-email"></strong></p>
<p>${bi({ zh: '请求编号：', en: 'Request reference:' })} <code id="verify-reference"></code></p>
<p id="verify-replayed" class="notice" hidden>${bi({
    zh: '此请求此前已收到；进度链接已通过邮件发送给您。',
    en: 'This request was already received; its status link was sent to you by email.',
  })}</p>`,
  `<button type="button" id="start-over" class="secondary" hidden>${bi({ zh: '重新提交', en: 'Start again' })}</button>`,
)}`;

  return document({
    title: { zh: '提出个人信息请求', en: 'Personal information request' },
    header: escapeHtml(defaultPolicy.organisation),
    body,
    script: FORM_SCRIPT,
  });
}

/** The status page (`GET /status?id=…&token=…`); everything on it comes from the status API. */
export function statusPage(): string {
  const body = `<h1>${bi({ zh: '请求进度', en: 'Request status' })}</h1>
<div id="status-message" role="status"><p class="notice">${bi({ zh: '正在加载…', en: 'Loading…' })}</p></div>
<div id="status-view" hidden>
<section class="card" aria-labelledby="status-title">
<h2 id="status-title" class="visually-hidden">${bi({ zh: '状态', en: 'Status' })}</h2>
<p class="status-line"><span id="status-badge" class="badge"></span></p>
<dl class="facts">
<dt>${bi({ zh: '请求编号', en: 'Reference' })}</dt><dd><code id="reference"></code></dd>
<dt>${bi({ zh: '请求类型', en: 'Request' })}</dt><dd id="request-type"></dd>
<dt>${bi({ zh: '隐私政策', en: 'Policy' })}</dt><dd id="policy-name"></dd>
</dl>
<p id="status-note" class="notice status-note" hidden></p>
</section>
${verifyStep(
  `<p>${bi({ zh: '请输入我们通过邮件发送给您的验证码，核实后开始计时。', en: 'Enter the code from our email; the clock starts once you are verified.' })}</p>`,
  `<p><a id="start-over" href="/" hidden>${bi({ zh: '重新提交请求', en: 'Make the request again' })}</a></p>`,
)}
<section id="countdown" class="card countdown" aria-labelledby="countdown-title">
<h2 id="countdown-title">${bi({ zh: '答复期限', en: 'Reply deadline' })}</h2>
<div id="countdown-body"></div>
</section>
<section class="card" aria-labelledby="timeline-title">
<h2 id="timeline-title">${bi({ zh: '进度记录', en: 'Timeline' })}</h2>
<p class="hint">${bi({ zh: '时间按此时区显示：', en: 'Times are shown in:' })} <span id="timeline-zone"></span></p>
<ol id="timeline" class="timeline"></ol>
</section>
</div>`;
  return document({
    title: { zh: '请求进度', en: 'Request status' },
    header: bi({ zh: '个人信息请求', en: 'Personal information requests' }),
    body,
    script: STATUS_SCRIPT,
  });
}

export interface ConsolePageOptions {
  /** Every policy requests may be under: the policy filter, and each one's clock unit, extension rule and refusal grounds. */
  readonly policies: readonly PolicyProfile[];
}

function selectField(options: {
  readonly id: string;
  readonly name: string;
  readonly label: Bilingual;
  readonly choices: readonly { value: string; text: string; data?: Readonly<Record<string, string>> }[];
}): string {
  const choices = options.choices
    .map(
      (choice) =>
        `<option value="${escapeHtml(choice.value)}"${Object.entries(choice.data ?? {})
          .map(([name, value]) => ` data-${name}="${escapeHtml(value)}"`)
          .join('')}>${escapeHtml(choice.text)}</option>`,
    )
    .join('\n');
  return `<div class="field">
<label class="label" for="${options.id}">${bi(options.label)}</label>
<select id="${options.id}" name="${options.name}">
<option value="">${escapeHtml('全部 · All')}</option>
${choices}
</select>
</div>`;
}

const both = (text: Bilingual) => `${text.zh} · ${text.en}`;

/** Whether and how a policy lets the reply period be extended, as the console's extend form needs it. */
function extensionRule(policy: PolicyProfile): 'none' | 'reason-required' | 'reason-optional' {
  if (policy.extension === undefined) return 'none';
  return policy.extension.reasonRequired ? 'reason-required' : 'reason-optional';
}

/**
 * The refusal grounds of each policy, as inert <template>s the script copies
 * into the refuse form for the open request's policy: the console API's
 * detail names the policy but not its grounds, and the page must offer only
 * the grounds the API will accept.
 */
function refusalGroundTemplates(policies: readonly PolicyProfile[]): string {
  return policies
    .map((policy) => {
      const options = policy.refusalGrounds
        .map((id) => {
          const ground = REFUSAL_GROUNDS.find((candidate) => candidate.id === id);
          const text = ground ? `${ground.zh} · ${ground.en}` : id;
          return `<option value="${escapeHtml(id)}">${escapeHtml(text)}</option>`;
        })
        .join('');
      return `<template data-refusal-grounds="${escapeHtml(policy.id)}">${options}</template>`;
    })
    .join('\n');
}

/** How the console names the identity checks an agent makes (domain/console/case-records.ts). */
const AGENT_IDENTITY_METHOD_LABELS: Readonly<Record<AgentIdentityMethod, Bilingual>> = {
  'id-document': { zh: '审核身份证件', en: 'Identity document reviewed' },
  'phone-callback': { zh: '回拨电话核实', en: 'Called back on a known number' },
  'in-person': { zh: '柜台当面核实', en: 'In person at the counter' },
  'account-login': { zh: '已登录账号', en: 'Signed in to their account' },
};

/**
 * The identity checks each policy accepts from an agent, as inert <template>s the script copies into
 * the identity review form for the open request's policy (as the refusal grounds): the page offers
 * only methods the API will accept (the organisation's floor may still narrow them; the API says so).
 */
function identityMethodTemplates(policies: readonly PolicyProfile[]): string {
  return policies
    .map((policy) => {
      const options = AGENT_IDENTITY_METHODS.filter((method) =>
        (policy.identityMethods as readonly string[]).includes(method),
      )
        .map((method) => {
          const label = AGENT_IDENTITY_METHOD_LABELS[method];
          return `<option value="${method}">${escapeHtml(`${label.zh} · ${label.en}`)}</option>`;
        })
        .join('');
      return `<template data-identity-methods="${escapeHtml(policy.id)}">${options}</template>`;
    })
    .join('\n');
}

/**
 * The console (`GET /console`): an agent's work queue and one request at a
 * time. It holds no request data; everything comes from the console API with
 * the token the user pastes in.
 */
export function consolePage(options: ConsolePageOptions): string {
  const policies = options.policies;
  const body = `<h1>${bi({ zh: '个人信息请求工作台', en: 'DSAR console' })}</h1>
<section id="signin" class="card" aria-labelledby="signin-title">
<h2 id="signin-title">${bi({ zh: '登录', en: 'Sign in' })}</h2>
<form id="signin-form" novalidate>
<div class="field">
<label class="label" for="token">${bi({ zh: '工作台令牌', en: 'Console token' })}</label>
<span class="hint" id="hint-token">${bi({
    zh: '本地运行时粘贴 npx dsar token --role agent 的输出；在 AWS 上粘贴 Cognito ID 令牌。令牌只保存在此标签页中。',
    en: 'Locally, paste the output of npx dsar token --role agent; on AWS, a Cognito ID token. It is kept in this tab only.',
  })}</span>
<textarea id="token" name="token" rows="4" spellcheck="false" autocapitalize="off" autocomplete="off" aria-describedby="hint-token error-token"></textarea>
<p class="field-error" id="error-token" role="alert"></p>
</div>
<div class="actions"><button type="submit" class="primary">${bi({ zh: '登录', en: 'Sign in' })}</button></div>
</form>
</section>
<div id="session-bar" class="session-bar" hidden>
<p>${bi({ zh: '当前用户', en: 'Signed in as' })} <strong id="session-user"></strong>
· ${bi({ zh: '角色', en: 'Roles' })} <span id="session-roles"></span>
· ${bi({ zh: '令牌到期', en: 'Token expires' })} <span id="session-expiry"></span></p>
<button type="button" id="sign-out" class="secondary">${bi({ zh: '退出', en: 'Sign out' })}</button>
</div>
<div id="console-message" role="status"></div>
<div id="calendar-banners" class="calendar-banners" role="status"></div>
<section id="queue" aria-labelledby="queue-title" hidden>
<section id="reports" class="card" aria-labelledby="reports-title">
<h2 id="reports-title">${bi({ zh: '报告', en: 'Reports' })}</h2>
<p class="hint">${bi({ zh: '截至', en: 'As of' })} <span id="reports-as-of">—</span></p>
<ul id="report-tiles" class="report-tiles"></ul>
<details class="report-by-policy">
<summary>${bi({ zh: '按隐私政策', en: 'By policy' })}</summary>
<div class="table-scroll">
<table class="queue report-policies">
<caption class="visually-hidden">${bi({ zh: '按隐私政策', en: 'By policy' })}</caption>
<thead><tr id="report-columns"></tr></thead>
<tbody id="report-rows"></tbody>
</table>
</div>
</details>
<div class="actions"><button type="button" id="report-csv" class="secondary">${bi({ zh: '下载 CSV', en: 'Download CSV' })}</button></div>
<div id="reports-outcome" class="action-outcome" role="status"></div>
</section>
<section id="calendars" class="card" aria-labelledby="calendars-title" hidden>
<h2 id="calendars-title">${bi({ zh: '法定节假日日历', en: 'Calendar' })}</h2>
<p class="hint">${bi({
    zh: '国务院办公厅每年发布的节假日安排通知。尚未公布的年份按法定假日暂定计算。',
    en: "The State Council's annual holiday notices. A year without one is counted on the statutory holidays, provisionally.",
  })}</p>
<div class="table-scroll">
<table class="queue calendar-years">
<caption class="visually-hidden">${bi({ zh: '各年份的官方通知', en: 'Official notice of each year' })}</caption>
<thead><tr>
<th scope="col">${bi({ zh: '年份', en: 'Year' })}</th>
<th scope="col">${bi({ zh: '来源', en: 'Origin' })}</th>
<th scope="col">${bi({ zh: '文号', en: 'Document' })}</th>
<th scope="col">${bi({ zh: '发布日期', en: 'Published' })}</th>
<th scope="col">SHA-256</th>
</tr></thead>
<tbody id="calendar-rows"></tbody>
</table>
</div>
<form id="calendar-import-form" class="action" novalidate hidden>
<div class="field">
<label class="label" for="notice-file">${bi({ zh: '通知文件（JSON）', en: 'Notice file (JSON)' })}</label>
<input type="file" id="notice-file" accept=".json,application/json">
</div>
<div class="field">
<label class="label" for="notice-text">${bi({ zh: '或粘贴通知内容', en: 'or paste the notice' })}</label>
<span class="hint" id="hint-notice-text">${bi({
    zh: '格式见 docs/operations.md；与 npx dsar calendar import 相同的检查。',
    en: 'Format in docs/operations.md; the same check as npx dsar calendar import.',
  })}</span>
<textarea id="notice-text" name="notice" rows="6" spellcheck="false" autocapitalize="off" aria-describedby="hint-notice-text"></textarea>
</div>
<div class="field">
<label class="checkbox"><input type="checkbox" id="notice-replace" name="replace"> ${bi({
    zh: '替换该年份已有的通知',
    en: "Replace the year's packaged or imported notice",
  })}</label>
</div>
<button type="submit" class="primary">${bi({ zh: '导入通知', en: 'Import the notice' })}</button>
<div class="action-outcome" role="status"></div>
</form>
</section>
<h2 id="queue-title">${bi({ zh: '待办请求', en: 'Work queue' })}</h2>
<form id="filters" class="card filters" novalidate>
${selectField({
  id: 'filter-status',
  name: 'status',
  label: { zh: '状态', en: 'Status' },
  choices: REQUEST_STATUSES.map((status) => ({ value: status, text: both(CONSOLE_STATUS_TEXT[status]) })),
})}
${selectField({
  id: 'filter-type',
  name: 'type',
  label: { zh: '请求类型', en: 'Type' },
  choices: REQUEST_TYPES.map((type) => ({ value: type, text: both(REQUEST_TYPE_TEXT[type].label) })),
})}
${selectField({
  id: 'filter-policy',
  name: 'policy',
  label: { zh: '隐私政策', en: 'Policy' },
  choices: policies.map((policy) => ({
    value: policy.id,
    text: policy.name,
    data: { unit: policy.clock.unit, extension: extensionRule(policy) },
  })),
})}
${selectField({
  id: 'filter-channel',
  name: 'channel',
  label: { zh: '渠道', en: 'Channel' },
  choices: CHANNELS.map((channel) => ({ value: channel, text: both(CHANNEL_TEXT[channel]) })),
})}
<div class="field">
<label class="label" for="filter-dueBefore">${bi({ zh: '此日期前到期', en: 'Due before' })}</label>
<input type="date" id="filter-dueBefore" name="dueBefore">
</div>
${selectField({
  id: 'filter-overdue',
  name: 'overdue',
  label: { zh: '逾期', en: 'Overdue' },
  choices: [
    { value: 'true', text: '已逾期 · Overdue' },
    { value: 'false', text: '未逾期 · Not overdue' },
  ],
})}
${selectField({
  id: 'filter-needsTriage',
  name: 'needsTriage',
  label: { zh: '待确认类型', en: 'Needs triage' },
  choices: [
    { value: 'true', text: '是 · Yes' },
    { value: 'false', text: '否 · No' },
  ],
})}
${selectField({
  id: 'filter-manualTasks',
  name: 'manualTasks',
  label: { zh: '待人工处理', en: 'Manual tasks' },
  choices: [{ value: 'open', text: '有待确认的人工任务 · Open tasks' }],
})}
<div class="field">
<label class="label" for="filter-assignee">${bi({ zh: '处理人', en: 'Assignee' })}</label>
<input type="text" id="filter-assignee" name="assignee" spellcheck="false" autocapitalize="off">
</div>
<div class="actions filter-actions">
<button type="submit" class="primary">${bi({ zh: '筛选', en: 'Show' })}</button>
<button type="button" id="filter-mine" class="secondary">${bi({ zh: '我的请求', en: 'Mine' })}</button>
</div>
</form>
<div class="table-scroll">
<table class="queue">
<caption class="visually-hidden">${bi({ zh: '按答复期限排序的请求', en: 'Requests by due date' })}</caption>
<thead><tr>
<th scope="col">${bi({ zh: '期限', en: 'Due' })}</th>
<th scope="col">${bi({ zh: '请求编号', en: 'Reference' })}</th>
<th scope="col">${bi({ zh: '状态', en: 'Status' })}</th>
<th scope="col">${bi({ zh: '类型', en: 'Type' })}</th>
<th scope="col">${bi({ zh: '隐私政策', en: 'Policy' })}</th>
<th scope="col">${bi({ zh: '渠道', en: 'Channel' })}</th>
<th scope="col">${bi({ zh: '处理人', en: 'Assignee' })}</th>
</tr></thead>
<tbody id="queue-rows"></tbody>
</table>
</div>
<p id="queue-empty" class="notice" hidden>${bi({ zh: '没有符合条件的请求', en: 'No requests match' })}</p>
<div class="actions"><button type="button" id="queue-more" class="secondary" hidden>${bi({ zh: '加载更多', en: 'Load more' })}</button></div>
</section>
<section id="detail" aria-labelledby="detail-title" hidden>
<p><a href="#" id="back-to-queue">${bi({ zh: '← 返回待办请求', en: '← Back to the queue' })}</a></p>
<div class="detail-grid">
<div>
<section class="card" aria-labelledby="detail-title">
<h2 id="detail-title">${bi({ zh: '请求', en: 'Request' })} <code id="detail-reference"></code></h2>
<p class="status-line"><span id="detail-status" class="badge"></span></p>
<p id="detail-mail-flags" class="notice notice-attention" role="alert" hidden></p>
<dl id="detail-facts" class="facts"></dl>
<div class="actions"><button type="button" id="evidence-pack" class="secondary" hidden>${bi({ zh: '下载证据包', en: 'Download evidence pack' })}</button></div>
<div id="evidence-outcome" class="action-outcome" role="status"></div>
</section>
<section id="detail-countdown" class="card countdown" aria-labelledby="detail-countdown-title">
<h2 id="detail-countdown-title">${bi({ zh: '答复期限', en: 'Reply deadline' })}</h2>
<div id="detail-countdown-body"></div>
<p id="detail-provisional" class="notice notice-provisional" hidden></p>
<p id="detail-paused" class="notice" hidden></p>
<p id="detail-attention" class="notice notice-attention" role="alert" hidden></p>
</section>
<section class="card" aria-labelledby="stores-title">
<h2 id="stores-title">${bi({ zh: '各数据源结果', en: 'Store results' })}</h2>
<ul id="store-results" class="store-results"></ul>
<form id="redrive-form" class="action" novalidate hidden>
<button type="submit" class="secondary">${bi({ zh: '重新运行（失败的数据源或中断的流程）', en: 'Run again (failed stores or the stopped workflow)' })}</button>
<div class="action-outcome" role="status"></div>
</form>
<form id="revoke-form" class="action" novalidate hidden>
<div class="field">
<label class="label" for="revoke-reason">${bi({ zh: '撤销理由（记入审计记录）', en: 'Reason (recorded in the audit trail)' })}</label>
<input type="text" id="revoke-reason" name="reason" maxlength="500">
</div>
<button type="submit" class="danger">${bi({ zh: '撤销下载链接', en: 'Revoke download links' })}</button>
<div class="action-outcome" role="status"></div>
</form>
</section>
<section id="approval" class="card" aria-labelledby="approval-title" hidden>
<h2 id="approval-title">${bi({ zh: '批准处理', en: 'Approve fulfilment' })}</h2>
<p id="approval-why" class="hint"></p>
<form id="approve-form" class="action" novalidate>
<fieldset id="approve-offline" hidden>
<legend>${bi({ zh: '线下核实', en: 'Offline check' })}</legend>
<div class="field">
<label class="label" for="approve-offline-method">${bi({ zh: '核实方式', en: 'How identity was checked' })}</label>
<select id="approve-offline-method" name="offlineMethod">
<option value="in-person">${bi({ zh: '当面核实', en: 'In person' })}</option>
<option value="id-document">${bi({ zh: '身份证件', en: 'Identity document' })}</option>
<option value="phone-callback">${bi({ zh: '电话回拨', en: 'Phone call-back' })}</option>
</select>
</div>
<div class="field">
<input type="checkbox" id="approve-risks" name="risksExplained">
<label for="approve-risks">${bi({ zh: '已向请求人说明删除的后果', en: 'The consequences of deletion were explained to the requester' })}</label>
</div>
</fieldset>
<div class="field">
<label class="label" for="approve-note">${bi({ zh: '备注（记入审计记录）', en: 'Note (recorded in the audit trail)' })}</label>
<textarea id="approve-note" name="note" rows="2"></textarea>
</div>
<button type="submit">${bi({ zh: '批准', en: 'Approve' })}</button>
<div class="action-outcome" role="status"></div>
</form>
</section>
<section id="actions" class="card" aria-labelledby="actions-title">
<h2 id="actions-title">${bi({ zh: '操作', en: 'Actions' })}</h2>
<div id="assign-form" class="action">
<button type="button" id="assign-me" class="secondary">${bi({ zh: '指派给我', en: 'Assign to me' })}</button>
<div class="action-outcome" role="status"></div>
</div>
<form id="extend-form" class="action" novalidate>
<div class="field">
<label class="label" for="extend-reason">${bi({ zh: '延期理由（将告知请求人）', en: 'Reason for the extension (told to the requester)' })}</label>
<textarea id="extend-reason" name="reason" rows="2"></textarea>
</div>
<button type="submit" class="secondary">${bi({ zh: '延长答复期限', en: 'Extend the deadline' })}</button>
<div class="action-outcome" role="status"></div>
</form>
<form id="identity-form" class="action" novalidate hidden>
<fieldset id="identity-identifiers" aria-describedby="identity-identifiers-hint error-identity-identifiers">
<legend>${bi({ zh: '本次核实证明的标识', en: 'Identifiers the check proved' })}</legend>
<p class="hint" id="identity-identifiers-hint">${bi({ zh: '只有勾选的标识会被标记为已验证并用于查找数据。', en: 'Only the ticked ones become verified and are used to find data.' })}</p>
<div id="identity-choices" class="choices"></div>
<p class="field-error" id="error-identity-identifiers"></p>
</fieldset>
<div class="field">
<label class="label" for="identity-method">${bi({ zh: '核实方式', en: 'How identity was checked' })}</label>
<select id="identity-method" name="method"></select>
</div>
<div class="field">
<label class="label" for="identity-evidence">${bi({ zh: '审核的证件', en: 'Document reviewed' })}</label>
<select id="identity-evidence" name="evidenceKey"></select>
</div>
<div class="field">
<label class="label" for="identity-note">${bi({ zh: '核实了什么（保存在请求中）', en: 'What you checked (kept on the request)' })}</label>
<textarea id="identity-note" name="note" rows="2" maxlength="1000" aria-describedby="error-identity-note"></textarea>
<p class="field-error" id="error-identity-note"></p>
</div>
<button type="submit" class="primary">${bi({ zh: '确认身份', en: 'Approve identity' })}</button>
<div class="action-outcome" role="status"></div>
</form>
<form id="identity-reject-form" class="action" novalidate hidden>
<div class="field">
<label class="label" for="identity-reject-reason">${bi({ zh: '无法核实身份的理由（将告知请求人）', en: 'Why identity could not be checked (told to the requester)' })}</label>
<textarea id="identity-reject-reason" name="reason" rows="2" maxlength="2000"></textarea>
</div>
<button type="submit" class="danger">${bi({ zh: '身份核实未通过', en: 'Reject identity' })}</button>
<div class="action-outcome" role="status"></div>
</form>
<form id="refuse-form" class="action" novalidate>
<div class="field">
<label class="label" for="refuse-ground">${bi({ zh: '拒绝依据', en: 'Ground for refusal' })}</label>
<select id="refuse-ground" name="ground"></select>
</div>
<div class="field">
<label class="label" for="refuse-reason">${bi({ zh: '理由（将告知请求人）', en: 'Reason (told to the requester)' })}</label>
<textarea id="refuse-reason" name="reason" rows="2"></textarea>
</div>
<button type="submit" class="danger">${bi({ zh: '拒绝请求', en: 'Refuse the request' })}</button>
<div class="action-outcome" role="status"></div>
</form>
</section>
</div>
<div>
<section class="card" aria-labelledby="notes-title">
<h2 id="notes-title">${bi({ zh: '备注', en: 'Notes' })}</h2>
<ol id="notes" class="notes"></ol>
<form id="note-form" class="action" novalidate>
<div class="field">
<label class="label" for="note-text">${bi({ zh: '新备注', en: 'New note' })}</label>
<textarea id="note-text" name="text" rows="3"></textarea>
</div>
<button type="submit" class="primary">${bi({ zh: '添加备注', en: 'Add note' })}</button>
<div class="action-outcome" role="status"></div>
</form>
</section>
<section class="card" aria-labelledby="detail-timeline-title">
<h2 id="detail-timeline-title">${bi({ zh: '审计记录', en: 'Timeline' })}</h2>
<p class="hint">${bi({ zh: '时间按此时区显示：', en: 'Times are shown in:' })} <span id="detail-zone"></span></p>
<p id="detail-trail" class="hint"></p>
<ol id="detail-timeline" class="timeline"></ol>
</section>
</div>
</div>
</section>
<div hidden>
${refusalGroundTemplates(policies)}
${identityMethodTemplates(policies)}
</div>`;
  return document({
    title: { zh: '工作台', en: 'DSAR console' },
    header: bi({ zh: '个人信息请求 · 工作台', en: 'Personal information requests · Console' }),
    body,
    script: CONSOLE_SCRIPT,
    footer: bi({
      zh: '所有操作均由 API 按角色核准并记入审计记录。',
      en: 'The API checks every action against your role and records it in the audit trail.',
    }),
    wide: true,
  });
}

let formHtml: string | undefined;
let statusHtml: string | undefined;
let consoleHtml: string | undefined;

/**
 * The page a route serves (`GET /`, `GET /status`, `GET /console`), rendered once and kept (the
 * organisation's settings are the deployment's, fixed for a container); undefined for any other route.
 */
export function pageForRoute(
  routeKey: string,
  organisation: () => Pick<OrganisationSettings, 'residences'>,
): string | undefined {
  switch (routeKey) {
    case 'GET /': {
      formHtml ??= formPage({
        residences: organisation().residences.map(({ code, name, policyId }) => ({
          code,
          name,
          policy: getPolicy(policyId),
        })),
      });
      return formHtml;
    }
    case 'GET /status':
      statusHtml ??= statusPage();
      return statusHtml;
    case 'GET /console':
      consoleHtml ??= consolePage({ policies: listPolicies() });
      return consoleHtml;
    default:
      return undefined;
  }
}
