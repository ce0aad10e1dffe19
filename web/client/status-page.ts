/**
 * Browser JavaScript (ES2022) of the requester's status page
 * (`GET /status?id=…&token=…`): fetches the request with the status token as a
 * bearer credential and draws the badge, the countdown and the timeline; while
 * the request waits for a code, offers the code step here too (the email with
 * the code links to this page). Needs FORM_MODEL_JS, STATUS_MODEL_JS,
 * COMMON_JS and COUNTDOWN_JS before it.
 */

export const STATUS_PAGE_JS = `
const params = new URLSearchParams(location.search);
const requestId = params.get('id') ?? '';
const token = params.get('token') ?? '';
const message = document.getElementById('status-message');
const view = document.getElementById('status-view');
const verifySection = document.getElementById('verify-step');
const verifyForm = document.getElementById('verify-form');
const verifyOutcome = document.getElementById('verify-outcome');
let verifyBound = false;

function renderCountdown(request) {
  drawCountdown(document.getElementById('countdown'), document.getElementById('countdown-body'), request);
}

function renderTimeline(request) {
  const entries = timelineView(request);
  document.getElementById('timeline-zone').textContent = request.policy.timeZone;
  document.getElementById('timeline').replaceChildren(
    ...entries.map((entry) =>
      h('li', { class: 'timeline-entry timeline-' + entry.event }, h('time', { datetime: entry.at }, entry.when), bi(entry.title)),
    ),
  );
}

function renderVerification(status) {
  verifySection.hidden = !status.needsCode;
  if (!status.needsCode || verifyBound) return;
  verifyBound = true;
  bindVerifyForm(verifyForm, verifyOutcome, {
    requestId,
    onVerified: () => {
      verifySection.hidden = true;
      load();
    },
    onExpired: () => {
      document.getElementById('start-over').hidden = false;
    },
  });
}

function render(request) {
  const status = statusView(request);
  document.getElementById('reference').textContent = request.requestId;
  document.getElementById('request-type').replaceChildren(bi(requestTypeLabel(request.type)));
  document.getElementById('policy-name').textContent = request.policy.name;
  const badge = document.getElementById('status-badge');
  badge.className = 'badge badge-' + status.tone;
  badge.replaceChildren(bi(status.label));
  const note = document.getElementById('status-note');
  note.hidden = !status.note;
  note.replaceChildren(...(status.note ? [bi(status.note)] : []));
  renderCountdown(request);
  renderTimeline(request);
  renderVerification(status);
  view.hidden = false;
}

async function load() {
  if (requestId === '' || token === '') {
    announce(message, h('p', { class: 'notice notice-error' }, bi(PROBLEM_TEXT['not-found'])));
    return;
  }
  view.setAttribute('aria-busy', 'true');
  const result = await callApi('GET', '/v1/requests/' + encodeURIComponent(requestId), {
    headers: { authorization: 'Bearer ' + token },
  });
  view.removeAttribute('aria-busy');
  if (!result.ok) {
    view.hidden = true;
    announce(message, h('p', { class: 'notice notice-error' }, bi(problemPlacement(result.problem).message)));
    return;
  }
  announce(message);
  render(result.data);
}

load();
`;
