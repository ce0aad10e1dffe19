/**
 * Browser JavaScript (ES2022) of the requester's status page
 * (`GET /status?id=…&token=…`): fetches the request with the status token as a
 * bearer credential and draws the badge, the countdown and the timeline; while
 * the request waits for a code, offers the code step here too (the email with
 * the code links to this page). Needs FORM_MODEL_JS, STATUS_MODEL_JS and
 * COMMON_JS before it.
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

function dateLine(label, date) {
  return h('span', { class: 'scale-point' }, bi(label), ' ', h('time', { datetime: date }, date));
}

function renderCountdown(request) {
  const countdown = countdownView(request);
  const section = document.getElementById('countdown');
  section.className = 'card countdown countdown-' + countdown.state;
  const body = document.getElementById('countdown-body');
  if (countdown.state === 'pending') {
    const headline =
      countdown.waitingFor === 'agent-review'
        ? { zh: '工作人员核实您的授权后开始计时', en: 'The clock starts once an agent has checked your authority' }
        : { zh: '核实邮箱后开始计时', en: 'The clock starts when you verify your email' };
    body.replaceChildren(
      h('p', { class: 'countdown-headline' }, bi(headline)),
      h('p', { class: 'hint' }, bi(clockPromise(request.clock))),
    );
    return;
  }
  const days = (count) => (count === 1 ? 'day' : 'days');
  const figure = {
    running: { number: countdown.daysLeft, words: { zh: '剩余天数', en: days(countdown.daysLeft) + ' left' } },
    'due-today': { number: 0, words: { zh: '今天到期', en: 'due today' } },
    overdue: { number: countdown.daysOverdue, words: { zh: '已逾期天数', en: days(countdown.daysOverdue) + ' overdue' } },
    closed: undefined,
  }[countdown.state];
  const parts = [];
  if (figure) {
    parts.push(h('p', { class: 'countdown-figure' }, h('span', { class: 'countdown-number' }, String(figure.number)), ' ', bi(figure.words)));
  } else {
    parts.push(h('p', { class: 'countdown-headline' }, bi({ zh: '此请求已结束', en: 'This request is closed' })));
  }
  if (countdown.workingDaysLeft !== undefined && countdown.state === 'running') {
    parts.push(
      h('p', { class: 'countdown-working' }, bi({
        zh: '剩余 ' + countdown.workingDaysLeft + ' 个工作日',
        en: countdown.workingDaysLeft + ' working ' + days(countdown.workingDaysLeft) + ' left',
      })),
    );
  }
  const used = {
    zh: '已用 ' + countdown.elapsedDays + ' / ' + countdown.totalDays + ' 天',
    en: countdown.elapsedDays + ' of ' + countdown.totalDays + ' days used',
  };
  parts.push(
    h('progress', { id: 'countdown-progress', max: countdown.totalDays, value: countdown.elapsedDays, 'aria-label': used.zh + ' / ' + used.en }),
    h(
      'div',
      { class: 'progress-scale' },
      dateLine({ zh: '开始计时', en: 'Clock started' }, countdown.startDate),
      dateLine({ zh: '答复期限', en: 'Due' }, countdown.dueDate),
    ),
    h('p', { class: 'hint' }, bi(clockPromise(request.clock))),
  );
  body.replaceChildren(...parts);
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
