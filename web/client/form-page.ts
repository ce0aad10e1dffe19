/**
 * Browser JavaScript (ES2022) of the request form (`GET /`): shows the fields
 * that apply (acting-for fields, transfer target), checks and sends the
 * request, then runs the code step and moves to the status page. Needs
 * FORM_MODEL_JS and COMMON_JS before it.
 */

export const FORM_PAGE_JS = `
const form = document.getElementById('request-form');
const summary = document.getElementById('form-errors');
const submitButton = document.getElementById('submit-request');
const requestStep = document.getElementById('request-step');
const verifyStep = document.getElementById('verify-step');
const verifyForm = document.getElementById('verify-form');
const verifyOutcome = document.getElementById('verify-outcome');
const policySelect = document.getElementById('policyId');

/**
 * One key per filled-in form: a double click, or a retry after a lost answer,
 * returns the request already created instead of making a second one.
 * getRandomValues rather than randomUUID, which needs a secure context.
 */
function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'web-' + Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
let idempotencyKey = newIdempotencyKey();
/** The body last sent with idempotencyKey: a changed body is a new request and gets a new key. */
let sentWithKey = null;

function formValues() {
  const values = {};
  for (const field of FORM_FIELDS) {
    const inputs = form.querySelectorAll('[name="' + field + '"]');
    const chosen = Array.from(inputs).find((input) => input.type !== 'radio' || input.checked);
    values[field] = chosen ? chosen.value : '';
  }
  return values;
}

/** Shows what applies to the chosen type, role and policy; hidden fields are left out of the body too. */
function updateVisibleFields() {
  const values = formValues();
  document.getElementById('acting-for').hidden = values['requester.role'] === 'self' || values['requester.role'] === '';
  document.getElementById('portability-target').hidden = values.type !== 'portability';
  const option = policySelect.selectedOptions[0];
  if (!option) return;
  document.getElementById('policy-clock-zh').textContent = option.dataset.clockZh;
  document.getElementById('policy-clock-en').textContent = option.dataset.clockEn;
  for (const age of document.querySelectorAll('.guardian-age')) age.textContent = option.dataset.guardianAge;
  const offered = option.dataset.rights.split(' ');
  for (const note of document.querySelectorAll('[data-not-offered]')) {
    note.hidden = offered.includes(note.dataset.notOffered);
  }
}

function showSummary(problems) {
  if (problems.length === 0) {
    announce(summary);
    return;
  }
  const items = problems.map((problem) => {
    const target = document.querySelector('[name="' + problem.field + '"]');
    const link = h('a', { href: '#' + (target ? target.id : form.id) }, bi(problem.message));
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

function showProblems(problems) {
  clearFieldErrors(form, FORM_FIELDS);
  for (const problem of problems) if (problem.field) showFieldError(form, problem.field, problem.message);
  showSummary(problems);
  const first = problems.find((problem) => problem.field);
  if (first) focusField(form, first.field);
}

function goToStatus(requestId, token) {
  location.assign('/status?id=' + encodeURIComponent(requestId) + '&token=' + encodeURIComponent(token));
}

function startVerification(submitted, answer) {
  requestStep.hidden = true;
  verifyStep.hidden = false;
  document.getElementById('verify-email').textContent = submitted.subject.email;
  document.getElementById('verify-reference').textContent = answer.requestId;
  if (answer.replayed) {
    document.getElementById('verify-replayed').hidden = false;
  }
  document.getElementById('verify-title').focus();
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
      document.getElementById('start-over').hidden = false;
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
  const result = await callApi('POST', '/v1/requests', {
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
  showProblems([{ field: placed.field, message: placed.message }]);
});

document.getElementById('start-over').addEventListener('click', () => {
  // A new key: the next submission is a new request, not a replay of the expired one.
  location.reload();
});

// Language for our replies: the browser's, until the requester picks one.
if (navigator.language && navigator.language.toLowerCase().startsWith('zh')) {
  const chinese = form.querySelector('[name="locale"][value="zh-CN"]');
  if (chinese) chinese.checked = true;
}
updateVisibleFields();
`;
