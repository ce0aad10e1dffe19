/**
 * The requester's status page (`GET /status?id=…&token=…`), the status page's
 * bundle entry: fetches the request with the status token as a bearer
 * credential and draws the badge, the countdown and the timeline; while the
 * request waits for a code, offers the code step here too (the email with the
 * code links to this page).
 */
import { announce, bi, bindVerifyForm, byId, callApi, h } from './common';
import { drawCountdown } from './countdown';
import { problemPlacement } from './form-model';
import { PROBLEM_TEXT } from './server-facts';
import { requestTypeLabel, type StatusRequest, statusView, timelineView } from './status-model';

const params = new URLSearchParams(location.search);
const requestId = params.get('id') ?? '';
const token = params.get('token') ?? '';
const message = byId('status-message');
const view = byId('status-view');
const verifySection = byId('verify-step');
const verifyForm = byId<HTMLFormElement>('verify-form');
const verifyOutcome = byId('verify-outcome');
let verifyBound = false;

function renderCountdown(request: StatusRequest): void {
  drawCountdown(byId('countdown'), byId('countdown-body'), request);
}

function renderTimeline(request: StatusRequest): void {
  const entries = timelineView(request);
  byId('timeline-zone').textContent = request.policy.timeZone;
  byId('timeline').replaceChildren(
    ...entries.map((entry) =>
      h(
        'li',
        { class: `timeline-entry timeline-${entry.event}` },
        h('time', { datetime: entry.at }, entry.when),
        bi(entry.title),
      ),
    ),
  );
}

function renderVerification(status: ReturnType<typeof statusView>): void {
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
      byId('start-over').hidden = false;
    },
  });
}

function render(request: StatusRequest): void {
  const status = statusView(request);
  byId('reference').textContent = request.requestId;
  byId('request-type').replaceChildren(bi(requestTypeLabel(request.type)));
  byId('policy-name').textContent = request.policy.name;
  const badge = byId('status-badge');
  badge.className = `badge badge-${status.tone}`;
  badge.replaceChildren(bi(status.label));
  const note = byId('status-note');
  note.hidden = !status.note;
  note.replaceChildren(...(status.note ? [bi(status.note)] : []));
  renderCountdown(request);
  renderTimeline(request);
  renderVerification(status);
  view.hidden = false;
}

async function load(): Promise<void> {
  if (requestId === '' || token === '') {
    announce(message, h('p', { class: 'notice notice-error' }, bi(PROBLEM_TEXT['not-found']!)));
    return;
  }
  view.setAttribute('aria-busy', 'true');
  const result = await callApi<StatusRequest>('GET', `/v1/requests/${encodeURIComponent(requestId)}`, {
    headers: { authorization: `Bearer ${token}` },
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
