/**
 * The requester's pages as complete HTML documents: the request form (`/`)
 * and the status page (`/status`). Each page is one document with its style
 * and script inline, so nothing else is fetched (the pages work offline and
 * behind any API Gateway without a static-file host), and the
 * Content-Security-Policy allows exactly those inline blocks by hash.
 */
import type { PolicyProfile } from '../domain/policy/schema';
import { REQUEST_TYPES, REQUESTER_ROLES } from '../domain/request';
import { COMMON_JS } from './client/common';
import { FORM_MODEL_JS } from './client/form-model';
import { FORM_PAGE_JS } from './client/form-page';
import { STATUS_MODEL_JS } from './client/status-model';
import { STATUS_PAGE_JS } from './client/status-page';
import { bilingual as bi, cspHash, escapeHtml } from './html';
import { type Bilingual, clockSummary, REQUEST_TYPE_TEXT, REQUESTER_ROLE_TEXT } from './labels';
import { PAGE_CSS } from './styles';

/** The inline script of each page: its pure models, the shared DOM code, then the page's own code. */
export const FORM_SCRIPT = [FORM_MODEL_JS, COMMON_JS, FORM_PAGE_JS].join('\n');
export const STATUS_SCRIPT = [FORM_MODEL_JS, STATUS_MODEL_JS, COMMON_JS, STATUS_PAGE_JS].join('\n');

/**
 * One policy for both pages. Scripts and styles only by hash (no 'unsafe-inline',
 * so no inline event handlers or style attributes); requests only to this
 * origin; Trusted Types enforced with no policy allowed, so no HTML string can
 * reach an HTML sink even if a bug tried; no forms posted anywhere (the form is
 * sent by fetch); never framed.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src ${cspHash(FORM_SCRIPT)} ${cspHash(STATUS_SCRIPT)}`,
  `style-src ${cspHash(PAGE_CSS)}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

function document(options: { title: Bilingual; header: string; body: string; script: string }): string {
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
<header class="site"><div class="wrap"><p>${options.header}</p></div></header>
<main class="wrap">
${options.body}
<noscript><p class="notice notice-error">${bi({ zh: '此页面需要启用 JavaScript。', en: 'This page needs JavaScript.' })}</p></noscript>
</main>
<footer class="wrap"><p>${bi({
    zh: '您在此提供的信息仅用于处理您的请求。',
    en: 'What you give here is used only to handle your request.',
  })}</p></footer>
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
<label class="label" for="code">${bi({ zh: '6 位验证码', en: '6-digit code' })}</label>
<input type="text" id="code" name="code" class="code-input" inputmode="numeric" autocomplete="one-time-code" spellcheck="false" aria-describedby="error-code">
<p class="field-error" id="error-code" aria-live="assertive"></p>
</div>
<div class="actions"><button type="submit" class="primary">${bi({ zh: '核实', en: 'Verify' })}</button></div>
</form>
<div id="verify-outcome" role="status"></div>
${startOver}
</section>`;
}

export interface FormPageOptions {
  /** Every policy a requester may choose, in display order. */
  readonly policies: readonly PolicyProfile[];
  /** The deployment's DEFAULT_POLICY_ID: preselected, and its organisation heads the page. */
  readonly defaultPolicyId: string;
}

/** The request form (`GET /`). */
export function formPage(options: FormPageOptions): string {
  const defaultPolicy = options.policies.find((policy) => policy.id === options.defaultPolicyId);
  if (!defaultPolicy) throw new Error(`The default policy '${options.defaultPolicyId}' is not offered`);
  const notOffered = bi({
    zh: '所选隐私政策未列出此项权利，您仍可提出。',
    en: 'The chosen policy does not list this right; you may still ask.',
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
  const policyOptions = options.policies
    .map((policy) => {
      const clock = clockSummary(policy);
      return `<option value="${escapeHtml(policy.id)}" data-clock-zh="${escapeHtml(clock.zh)}" data-clock-en="${escapeHtml(
        clock.en,
      )}" data-guardian-age="${policy.guardianAge}" data-rights="${escapeHtml(policy.rightsOffered.join(' '))}"${
        policy.id === defaultPolicy.id ? ' selected' : ''
      }>${escapeHtml(policy.name)}</option>`;
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
<label class="label" for="policyId">${bi({ zh: '适用的隐私政策', en: 'Privacy policy' })}</label>
<span class="hint" id="hint-policyId"><span class="bi"><span lang="zh-CN" id="policy-clock-zh">${escapeHtml(
    defaultClock.zh,
  )}</span> <span lang="en" class="en" id="policy-clock-en">${escapeHtml(defaultClock.en)}</span></span></span>
<select id="policyId" name="policyId" aria-describedby="hint-policyId error-policyId">
${policyOptions}
</select>
${errorSlot('policyId')}
</div>
<fieldset>
<legend>${bi({ zh: '信息所属的人', en: 'The person the data is about' })}</legend>
${textField({
  field: 'subject.email',
  label: { zh: '电子邮箱', en: 'Email address' },
  hint: { zh: '我们会把 6 位验证码发到这个邮箱。', en: 'We send a 6-digit code to this address.' },
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
  `<p>${bi({ zh: '我们已把 6 位验证码发送至：', en: 'We sent a 6-digit code to:' })} <strong id="verify-email"></strong></p>
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
