/**
 * The request form (`GET /`), the form page's bundle entry: shows the fields
 * that apply (acting-for fields, transfer target), checks and sends the
 * request, then runs the code step and moves to the status page.
 */
import {
  announce,
  bi,
  bindVerifyForm,
  byId,
  callApi,
  clearFieldErrors,
  focusField,
  h,
  showFieldError,
} from './common';
import {
  buildSubmission,
  type FieldProblem,
  FORM_FIELDS,
  type FormValues,
  problemPlacement,
  type Submission,
  validateSubmission,
} from './form-model';

/** POST /v1/requests's answer, as far as the page reads it. */
interface Submitted {
  requestId: string;
  statusToken?: string;
  replayed?: boolean;
}

const form = byId<HTMLFormElement>('request-form');
const summary = byId('form-errors');
const submitButton = byId<HTMLButtonElement>('submit-request');
const requestStep = byId('request-step');
const verifyStep = byId('verify-step');
const verifyForm = byId<HTMLFormElement>('verify-form');
const verifyOutcome = byId('verify-outcome');
const policySelect = byId<HTMLSelectElement>('residence');

/**
 * One key per filled-in form: a double click, or a retry after a lost answer,
 * returns the request already created instead of making a second one.
 * getRandomValues rather than randomUUID, which needs a secure context.
 */
function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `web-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
let idempotencyKey = newIdempotencyKey();
/** The body last sent with idempotencyKey: a changed body is a new request and gets a new key. */
let sentWithKey: string | null = null;

function formValues(): FormValues {
  const values: FormValues = {};
  for (const field of FORM_FIELDS) {
    const inputs = form.querySelectorAll<HTMLInputElement>(`[name="${field}"]`);
    const chosen = Array.from(inputs).find((input) => input.type !== 'radio' || input.checked);
    values[field] = chosen ? chosen.value : '';
  }
  return values;
}

/** Shows what applies to the chosen type, role and residence (its policy); hidden fields are left out of the body too. */
function updateVisibleFields(): void {
  const values = formValues();
  byId('acting-for').hidden = values['requester.role'] === 'self' || values['requester.role'] === '';
  byId('portability-target').hidden = values.type !== 'portability';
  const option = policySelect.selectedOptions[0];
  if (!option) return;
  byId('policy-clock-zh').textContent = option.dataset.clockZh ?? '';
  byId('policy-clock-en').textContent = option.dataset.clockEn ?? '';
  for (const age of document.querySelectorAll('.guardian-age'))
    age.textContent = option.dataset.guardianAge ?? '';
  const offered = (option.dataset.rights ?? '').split(' ');
  for (const note of document.querySelectorAll<HTMLElement>('[data-not-offered]')) {
    note.hidden = offered.includes(note.dataset.notOffered ?? '');
  }
}

function showSummary(problems: readonly FieldProblem[]): void {
  if (problems.length === 0) {
    announce(summary);
    return;
  }
  const items = problems.map((problem) => {
    const target = document.querySelector(`[name="${problem.field}"]`);
    const link = h('a', { href: `#${target ? target.id : form.id}` }, bi(problem.message));
    link.addEventListener('click', (event) => {
      event.preventDefault();
      focusField(form, problem.field);
    });
    return h('li', {}, link);
  });
  announce(
    summary,
    h('h2', {}, bi({ zh: '请修改以下内容', en: 'Please check the following' })),
    h('ul', {}, items),
  );
}

function showProblems(problems: readonly FieldProblem[]): void {
  clearFieldErrors(form, FORM_FIELDS);
  for (const problem of problems) if (problem.field) showFieldError(form, problem.field, problem.message);
  showSummary(problems);
  const first = problems.find((problem) => problem.field);
  if (first) focusField(form, first.field);
}

function goToStatus(requestId: string, token: string): void {
  location.assign(`/status?id=${encodeURIComponent(requestId)}&token=${encodeURIComponent(token)}`);
}

function startVerification(submitted: Submission, answer: Submitted): void {
  requestStep.hidden = true;
  verifyStep.hidden = false;
  byId('verify-email').textContent = submitted.subject.email ?? '';
  byId('verify-reference').textContent = answer.requestId;
  if (answer.replayed) {
    byId('verify-replayed').hidden = false;
  }
  byId('verify-title').focus();
  bindVerifyForm(verifyForm, verifyOutcome, {
    requestId: answer.requestId,
    onVerified: () => {
      if (answer.statusToken) {
        goToStatus(answer.requestId, answer.statusToken);
        return;
      }
      verifyForm.hidden = true;
      announce(
        verifyOutcome,
        h(
          'p',
          { class: 'notice' },
          bi({
            zh: '已核实。请使用邮件中的链接查看进度。',
            en: 'Verified. Use the link in our email to follow your request.',
          }),
        ),
      );
    },
    onExpired: () => {
      byId('start-over').hidden = false;
    },
  });
}

form.addEventListener('change', updateVisibleFields);
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (submitButton.disabled) return;
  const body = buildSubmission(formValues());
  const problems = validateSubmission(body);
  if (problems.length > 0) {
    showProblems(problems);
    return;
  }
  showProblems([]);
  const serialised = JSON.stringify(body);
  if (sentWithKey !== null && sentWithKey !== serialised) idempotencyKey = newIdempotencyKey();
  sentWithKey = serialised;
  submitButton.disabled = true;
  form.setAttribute('aria-busy', 'true');
  const result = await callApi<Submitted>('POST', '/v1/requests', {
    body,
    headers: { 'x-dsar-channel': 'web', 'idempotency-key': idempotencyKey },
  });
  form.removeAttribute('aria-busy');
  submitButton.disabled = false;
  if (result.ok) {
    startVerification(body, result.data);
    return;
  }
  const placed = problemPlacement(result.problem);
  // A problem that names no field goes to the summary only.
  showProblems([{ field: placed.field as string, message: placed.message }]);
});

byId('start-over').addEventListener('click', () => {
  // A new key: the next submission is a new request, not a replay of the expired one.
  location.reload();
});

// Language for our replies: the browser's, until the requester picks one.
if (navigator.language?.toLowerCase().startsWith('zh')) {
  const chinese = form.querySelector<HTMLInputElement>('[name="locale"][value="zh-CN"]');
  if (chinese) chinese.checked = true;
}
updateVisibleFields();
