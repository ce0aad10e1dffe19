/**
 * Browser JavaScript (ES2022) shared by both pages: building DOM nodes (never
 * from HTML strings: the pages' CSP requires Trusted Types for every HTML
 * sink, so none is used), calling the JSON API, showing a problem next to its
 * field, and the verification-code step. Needs FORM_MODEL_JS before it.
 */

export const COMMON_JS = String.raw`
/** An element with attributes and children (strings become text nodes, never markup). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.flat().filter((child) => child !== undefined && child !== null));
  return element;
}

/** Chinese then English, each tagged with its language. */
function bi(text, className = 'bi') {
  return h('span', { class: className }, h('span', { lang: 'zh-CN' }, text.zh), ' ', h('span', { lang: 'en', class: 'en' }, text.en));
}

/**
 * Calls the JSON API on this origin. Resolves to { ok, status, data } or
 * { ok: false, status, problem } with the API's { code, message, field? };
 * a network failure is status 0 with code "network".
 */
async function callApi(method, path, options = {}) {
  const headers = { accept: 'application/json', ...(options.headers ?? {}) };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, status: 0, problem: { code: 'network', message: PROBLEM_TEXT.network.en } };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok) return { ok: true, status: response.status, data };
  const problem =
    data && data.error
      ? data.error
      : { code: response.status >= 500 ? 'internal' : 'unknown', message: 'HTTP ' + response.status };
  return { ok: false, status: response.status, problem };
}

/** The id of the element that holds a field's error: field "subject.email" -> "error-subject-email". */
function errorIdFor(field) {
  return 'error-' + field.replace(/\./g, '-');
}

/** Shows (or, with null, clears) a field's error next to it and marks its inputs invalid. */
function showFieldError(form, field, message) {
  const slot = document.getElementById(errorIdFor(field));
  if (slot) slot.replaceChildren(...(message ? [bi(message)] : []));
  for (const input of form.querySelectorAll('[name="' + field + '"]')) {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

function clearFieldErrors(form, fields) {
  for (const field of fields) showFieldError(form, field, null);
}

/** Focuses the first input of a field, so the keyboard and the screen reader land on the problem. */
function focusField(form, field) {
  const input = form.querySelector('[name="' + field + '"]:checked') ?? form.querySelector('[name="' + field + '"]');
  if (input) input.focus();
}

/**
 * Replaces the content of a live region; its role makes assistive technology
 * announce it. The region itself stays in the page (an empty one takes no
 * space), because a region that appears together with its text may go unheard.
 */
function announce(region, ...content) {
  region.replaceChildren(...content);
}

/**
 * The verification-code step: posts the code, and says what happened — wrong
 * code (tries left), expired, locked — next to the code input or in the
 * outcome region. Calls onVerified with the API's answer once the request no
 * longer waits for a code; onExpired lets the page offer a way to start again.
 */
function bindVerifyForm(form, outcome, { requestId, onVerified, onExpired }) {
  const input = form.querySelector('[name="code"]');
  const button = form.querySelector('button[type="submit"]');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    showFieldError(form, 'code', null);
    announce(outcome);
    const checked = validateCode(input.value);
    if (checked.message) {
      showFieldError(form, 'code', checked.message);
      input.focus();
      return;
    }
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    const result = await callApi('POST', '/v1/requests/' + encodeURIComponent(requestId) + '/verify', {
      body: { code: checked.code },
    });
    form.removeAttribute('aria-busy');
    if (result.ok || result.problem.code === 'not-awaiting-verification') {
      onVerified(result.ok ? result.data : null);
      return;
    }
    const placed = problemPlacement(result.problem, ['code']);
    if (result.problem.code === 'verification-locked' || result.problem.code === 'code-expired') {
      input.disabled = true;
      announce(outcome, h('p', { class: 'notice notice-error' }, bi(placed.message)));
      if (result.problem.code === 'code-expired' && onExpired) onExpired();
      return;
    }
    button.disabled = false;
    if (placed.field) {
      showFieldError(form, 'code', placed.message);
      input.select();
      input.focus();
    } else {
      announce(outcome, h('p', { class: 'notice notice-error' }, bi(placed.message)));
    }
  });
}
`;
