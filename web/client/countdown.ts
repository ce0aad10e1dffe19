/**
 * Draws a request's reply countdown — the big number, working days, the
 * progress bar from clock start to due date — shared by the requester's
 * status page and the console, so both show one deadline the same way.
 */
import type { Bilingual } from '../labels';
import { bi, h } from './common';
import { clockPromise, countdownView, type StatusRequest } from './status-model';

export type PendingHeadlines = Readonly<Record<'code' | 'agent-review', Bilingual>>;

/** Before the clock starts, said to the requester. */
const REQUESTER_PENDING_HEADLINES: PendingHeadlines = {
  code: { zh: '核实邮箱后开始计时', en: 'The clock starts when you verify your email' },
  'agent-review': {
    zh: '工作人员核实您的授权后开始计时',
    en: 'The clock starts once an agent has checked your authority',
  },
};

function dateLine(label: Bilingual, date: string): HTMLSpanElement {
  return h('span', { class: 'scale-point' }, bi(label), ' ', h('time', { datetime: date }, date));
}

/**
 * Draws the countdown of a request in the status answer's shape into section
 * (its class carries the state, for colour) and body. The headline before
 * the clock starts is chosen by what it waits for, in words for the reader.
 */
export function drawCountdown(
  section: HTMLElement,
  body: HTMLElement,
  request: StatusRequest,
  pendingHeadlines: PendingHeadlines = REQUESTER_PENDING_HEADLINES,
): void {
  const countdown = countdownView(request);
  section.className = `card countdown countdown-${countdown.state}`;
  if (countdown.state === 'pending') {
    const headline = pendingHeadlines[countdown.waitingFor];
    body.replaceChildren(
      h('p', { class: 'countdown-headline' }, bi(headline)),
      h('p', { class: 'hint' }, bi(clockPromise(request.clock))),
    );
    return;
  }
  const days = (count: number) => (count === 1 ? 'day' : 'days');
  const figure = {
    running: {
      number: countdown.daysLeft,
      words: { zh: '剩余天数', en: `${days(countdown.daysLeft)} left` },
    },
    'due-today': { number: 0, words: { zh: '今天到期', en: 'due today' } },
    overdue: {
      number: countdown.daysOverdue,
      words: { zh: '已逾期天数', en: `${days(countdown.daysOverdue)} overdue` },
    },
    closed: undefined,
  }[countdown.state];
  const parts: HTMLElement[] = [];
  if (figure) {
    parts.push(
      h(
        'p',
        { class: 'countdown-figure' },
        h('span', { class: 'countdown-number' }, String(figure.number)),
        ' ',
        bi(figure.words),
      ),
    );
  } else {
    parts.push(
      h('p', { class: 'countdown-headline' }, bi({ zh: '此请求已结束', en: 'This request is closed' })),
    );
  }
  if (countdown.workingDaysLeft !== undefined && countdown.state === 'running') {
    parts.push(
      h(
        'p',
        { class: 'countdown-working' },
        bi({
          zh: `剩余 ${countdown.workingDaysLeft} 个工作日`,
          en: `${countdown.workingDaysLeft} working ${days(countdown.workingDaysLeft)} left`,
        }),
      ),
    );
  }
  const used = {
    zh: `已用 ${countdown.elapsedDays} / ${countdown.totalDays} 天`,
    en: `${countdown.elapsedDays} of ${countdown.totalDays} days used`,
  };
  parts.push(
    h('progress', {
      id: 'countdown-progress',
      max: countdown.totalDays,
      value: countdown.elapsedDays,
      'aria-label': `${used.zh} / ${used.en}`,
    }),
    h(
      'div',
      { class: 'progress-scale' },
      dateLine({ zh: '开始计时', en: 'Clock started' }, countdown.startDate),
      dateLine({ zh: '答复期限', en: 'Due' }, countdown.dueDate),
    ),
    h('p', { class: 'hint' }, bi(clockPromise(request.clock))),
  );
  if (countdown.provisionalYears && countdown.provisionalYears.length > 0) {
    const years = countdown.provisionalYears.join(', ');
    // The date counts on the statutory holidays because the year's official calendar is not out yet:
    // it can only move later when it is, and the requester is told if it does.
    parts.push(
      h(
        'p',
        { class: 'hint', id: 'countdown-provisional' },
        bi({
          zh: `暂定期限：${years} 年的官方节假日安排尚未公布，期限按法定节假日计算；公布后若有变化，我们会通知您（只会推后，不会提前）。`,
          en: `Provisional: the official ${years} holiday calendar is not published yet, so the date counts on the statutory holidays. If it changes when the calendar is published, we will tell you; it can only move later.`,
        }),
      ),
    );
  }
  body.replaceChildren(...parts);
}
