/**
 * The one stylesheet of the requester pages and the console, inlined (and allowed by its hash
 * in the CSP). System fonts with Chinese fallbacks, nothing to download, so
 * the pages render the same offline; one column that widens on a desktop.
 */

export const PAGE_CSS = `
:root {
  --ink: #1b1f24;
  --muted: #4a5562;
  --line: #c9d1da;
  --paper: #ffffff;
  --page: #f3f5f7;
  --accent: #1f5fa8;
  --accent-soft: #e8f0fa;
  --danger: #b3261e;
  --warning: #9a5b00;
  --focus: #ffbf47;
  color-scheme: light;
  font-family: system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei',
    'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif;
  line-height: 1.5;
  color: var(--ink);
  background: var(--page);
}
* { box-sizing: border-box; }
body { margin: 0; }
[hidden] { display: none !important; }
.visually-hidden {
  position: absolute !important;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
}
.error-summary:empty, #verify-outcome:empty, #status-message:empty, #console-message:empty, .action-outcome:empty {
  display: none;
}
.wrap { max-width: 44rem; margin: 0 auto; padding: 0 1rem; }
.site { background: #17324f; color: #fff; padding: 0.9rem 0; }
.site p { margin: 0; font-weight: 600; }
.site .en { color: #d5e1ee; font-weight: 400; }
main.wrap { padding-top: 1.5rem; padding-bottom: 2rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 0.5rem; }
h2 { font-size: 1.2rem; line-height: 1.3; margin: 0 0 0.75rem; }
h1 .en, h2 .en { display: block; font-size: 0.8em; font-weight: 500; }
.en { color: var(--muted); }
.lede { margin: 0 0 1.5rem; }
.card {
  background: var(--paper);
  border: 1px solid var(--line);
  border-radius: 10px;
  padding: 1.25rem;
  margin: 0 0 1rem;
}
a { color: var(--accent); }
:focus-visible, input:focus, select:focus, textarea:focus, button:focus {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
}
fieldset { border: 0; padding: 0; margin: 0 0 1.5rem; min-width: 0; }
legend, .label { display: block; font-weight: 650; margin: 0 0 0.4rem; padding: 0; }
legend .en, .label .en { font-weight: 400; }
.field { margin: 0 0 1.25rem; }
.hint { display: block; color: var(--muted); font-size: 0.92rem; margin: 0.2rem 0 0.5rem; }
.hint .en { color: var(--muted); }
input[type='text'], input[type='email'], input[type='tel'], input[type='url'], input[type='date'], select, textarea {
  display: block;
  width: 100%;
  font: inherit;
  font-size: 1rem;
  color: var(--ink);
  background: #fff;
  padding: 0.6rem 0.7rem;
  border: 2px solid #6b7785;
  border-radius: 6px;
}
textarea { min-height: 7rem; resize: vertical; }
.code-input { max-width: 12rem; font-size: 1.4rem; letter-spacing: 0.3em; font-variant-numeric: tabular-nums; }
[aria-invalid='true'] { border-color: var(--danger) !important; }
.field-error { color: var(--danger); font-weight: 600; margin: 0.35rem 0 0; }
.field-error .en { color: var(--danger); }
.field-error:empty { display: none; }
.choices { display: grid; gap: 0.5rem; }
.choice {
  display: grid;
  grid-template-columns: auto 1fr;
  gap: 0.15rem 0.7rem;
  align-items: start;
  padding: 0.65rem 0.8rem;
  border: 1px solid var(--line);
  border-radius: 8px;
  background: #fff;
  cursor: pointer;
}
.choice:has(input:checked) { border-color: var(--accent); background: var(--accent-soft); box-shadow: inset 0 0 0 1px var(--accent); }
.choice input { width: 1.2rem; height: 1.2rem; margin: 0.2rem 0 0; accent-color: var(--accent); }
.choice-text { display: block; }
.choice-title { display: block; font-weight: 600; }
.choice-title .en { font-weight: 400; }
.choice .hint { margin: 0.1rem 0 0; }
.not-offered { display: block; color: var(--warning); font-size: 0.88rem; }
.not-offered .en { color: var(--warning); }
.two-up { display: grid; gap: 0 1rem; }
.sub { border-left: 4px solid var(--accent-soft); padding: 0.25rem 0 0.25rem 1rem; margin: 0 0 1.5rem; }
button {
  font: inherit;
  font-size: 1rem;
  font-weight: 650;
  min-height: 2.9rem;
  padding: 0.65rem 1.4rem;
  border-radius: 6px;
  cursor: pointer;
}
.primary { background: var(--accent); color: #fff; border: 2px solid var(--accent); }
.primary .en { color: #e6eef8; }
.secondary { background: #fff; color: var(--accent); border: 2px solid var(--accent); }
button:disabled { opacity: 0.6; cursor: progress; }
.error-summary { border: 3px solid var(--danger); background: #fff; padding: 1rem 1.25rem; border-radius: 8px; margin: 0 0 1.5rem; }
.error-summary h2 { color: var(--danger); font-size: 1.1rem; }
.error-summary ul { margin: 0; padding-left: 1.2rem; }
.error-summary a { color: var(--danger); font-weight: 600; }
.error-summary a .en { color: var(--danger); }
.notice { border-left: 5px solid var(--accent); background: var(--accent-soft); padding: 0.75rem 1rem; margin: 1rem 0; }
.notice-error { border-left-color: var(--danger); background: #fbeceb; }
.notice-error .en { color: #7a1a14; }
.notice-attention { border-left-color: var(--danger); background: #fbeceb; }
code, .reference { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; font-size: 0.92em; overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; margin: 0; }
.facts dt { font-weight: 600; }
.facts dt .en { display: block; font-weight: 400; font-size: 0.85rem; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0.2rem 0.75rem; border-radius: 999px; font-weight: 700; border: 1px solid transparent; }
.badge .en { color: inherit; font-weight: 500; }
.badge-waiting { background: #fff3d1; color: #5c3d00; border-color: #e3b341; }
.badge-working { background: #e3eefc; color: #153f6f; border-color: #9dbde6; }
.badge-done { background: #e0f3e6; color: #17512c; border-color: #8cc9a0; }
.badge-stopped { background: #eceef1; color: #353c45; border-color: #b8bfc8; }
.status-line { margin: 0 0 1rem; }
.status-note { margin: 1rem 0 0; }
.countdown-figure { display: flex; align-items: baseline; flex-wrap: wrap; gap: 0.25rem 0.75rem; margin: 0 0 0.25rem; }
.countdown-number { font-size: 3.2rem; font-weight: 750; line-height: 1; color: var(--accent); font-variant-numeric: tabular-nums; }
.countdown-figure .bi { font-size: 1.1rem; font-weight: 600; }
.countdown-headline { font-size: 1.15rem; font-weight: 650; margin: 0 0 0.5rem; }
.countdown-working { margin: 0 0 0.75rem; font-weight: 600; }
progress {
  display: block;
  width: 100%;
  height: 0.9rem;
  margin: 0.75rem 0 0.4rem;
  border: 0;
  border-radius: 999px;
  background: #e1e6ec;
  color: var(--accent);
  appearance: none;
  overflow: hidden;
}
progress::-webkit-progress-bar { background: #e1e6ec; border-radius: 999px; }
progress::-webkit-progress-value { background: var(--accent); border-radius: 999px; }
progress::-moz-progress-bar { background: var(--accent); border-radius: 999px; }
.progress-scale { display: flex; justify-content: space-between; gap: 1rem; font-size: 0.88rem; margin: 0 0 0.75rem; }
.scale-point:last-child { text-align: right; }
.scale-point time { display: block; font-weight: 600; font-variant-numeric: tabular-nums; }
.countdown-due-today .countdown-number { color: var(--warning); }
.countdown-due-today progress::-webkit-progress-value { background: var(--warning); }
.countdown-due-today progress::-moz-progress-bar { background: var(--warning); }
.countdown-overdue { border-color: var(--danger); box-shadow: inset 4px 0 0 var(--danger); }
.countdown-overdue .countdown-number, .countdown-overdue .countdown-figure .bi, .countdown-overdue .countdown-figure .en { color: var(--danger); }
.countdown-overdue progress::-webkit-progress-value { background: var(--danger); }
.countdown-overdue progress::-moz-progress-bar { background: var(--danger); }
.countdown-closed progress::-webkit-progress-value { background: #7d8894; }
.countdown-closed progress::-moz-progress-bar { background: #7d8894; }
.timeline { list-style: none; margin: 0; padding: 0 0 0 1.1rem; border-left: 3px solid #d3dae2; }
.timeline-entry { position: relative; padding: 0 0 1rem 0.5rem; }
.timeline-entry:last-child { padding-bottom: 0; }
.timeline-entry::before {
  content: '';
  position: absolute;
  left: -1.65rem;
  top: 0.3rem;
  width: 0.85rem;
  height: 0.85rem;
  border-radius: 50%;
  background: var(--accent);
  border: 2px solid #fff;
}
.timeline-entry time { display: block; color: var(--muted); font-size: 0.88rem; font-variant-numeric: tabular-nums; }
/* The console: a wider column for the queue table, chips for due dates, two columns for a request. */
.wrap.wide { max-width: 78rem; }
.session-bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; margin: 0 0 1rem; }
.session-bar p { margin: 0; }
.session-bar button { min-height: 2.4rem; padding: 0.4rem 1rem; }
.filters { display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0 1rem; align-items: end; }
.filters .field { margin-bottom: 0.9rem; }
.filter-actions { display: flex; gap: 0.5rem; margin-bottom: 0.9rem; }
.table-scroll { overflow-x: auto; background: var(--paper); border: 1px solid var(--line); border-radius: 10px; }
table.queue { width: 100%; border-collapse: collapse; font-size: 0.92rem; }
.queue th, .queue td { text-align: left; vertical-align: top; padding: 0.55rem 0.7rem; border-bottom: 1px solid var(--line); }
.queue th { font-weight: 650; background: #f8fafb; }
.queue th .en, .queue td .en { display: block; font-size: 0.85em; }
.queue-row { cursor: pointer; }
.queue-row:hover { background: var(--accent-soft); }
.queue .badge { font-size: 0.85rem; border-radius: 8px; }
.filter-actions button { white-space: nowrap; padding: 0.65rem 1rem; }
.chip { display: inline-block; padding: 0.15rem 0.6rem; border-radius: 6px; font-weight: 700; white-space: nowrap; border: 1px solid transparent; font-variant-numeric: tabular-nums; }
.chip .en { color: inherit; font-weight: 500; }
.chip-overdue { background: var(--danger); color: #fff; }
.chip-soon { background: #ffe3a3; color: #4d3300; border-color: #d99a00; }
.chip-ok { background: #e3eefc; color: #153f6f; border-color: #9dbde6; }
.chip-paused, .chip-pending, .chip-closed { background: #eceef1; color: #353c45; border-color: #b8bfc8; }
.chip-working { display: block; color: var(--muted); font-size: 0.85rem; margin-top: 0.2rem; }
.chip-provisional { display: block; color: #7a4a00; font-size: 0.85rem; margin-top: 0.2rem; }
.queue-attention { display: block; color: #7a1a14; font-size: 0.85rem; margin-top: 0.2rem; }
.notice-problems { margin: 0.25rem 0 0 1.25rem; }
.checkbox { display: flex; gap: 0.5rem; align-items: center; }
.danger { background: var(--danger); color: #fff; border: 2px solid var(--danger); }
.danger .en { color: #fde8e6; }
.action { border-top: 1px solid var(--line); padding: 1rem 0 0; margin: 1rem 0 0; }
.action:first-of-type { border-top: 0; padding-top: 0; margin-top: 0; }
.timeline-actor, .timeline-note { display: block; color: var(--muted); font-size: 0.88rem; }
.store-results { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.6rem; }
.store-summary, .store-when { display: block; color: var(--muted); font-size: 0.88rem; }
.store-confirm { border-left: 4px solid var(--accent-soft); padding: 0.5rem 0 0 0.8rem; margin-top: 0.5rem; }
.store-confirm .counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(8rem, 1fr)); gap: 0 0.8rem; }
.report-tiles { list-style: none; margin: 0 0 1rem; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(8.5rem, 1fr)); gap: 0.6rem; }
.report-tile { border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 0.7rem; }
.report-tile .en { display: block; font-size: 0.85em; }
.report-figure { display: block; font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.report-tile-alert { border-color: var(--danger); }
.report-tile-alert .report-figure { color: var(--danger); }
.report-by-policy summary { cursor: pointer; font-weight: 650; margin: 0 0 0.6rem; }
.notes { list-style: none; margin: 0 0 1rem; padding: 0; display: grid; gap: 0.6rem; }
.note { border-left: 4px solid var(--accent-soft); padding: 0.1rem 0 0.1rem 0.8rem; }
.note p { margin: 0; }
.note-meta { color: var(--muted); font-size: 0.85rem; }
.note-text { white-space: pre-wrap; overflow-wrap: anywhere; }
@media (min-width: 60rem) {
  .detail-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1rem; align-items: start; }
}
footer { color: var(--muted); font-size: 0.88rem; padding: 0 0 2rem; }
@media (min-width: 40rem) {
  .two-up { grid-template-columns: 1fr 1fr; }
  main.wrap { padding-top: 2.25rem; }
  h1 { font-size: 1.9rem; }
}
@media (max-width: 30rem) {
  .card { padding: 1rem; }
  .actions button { width: 100%; }
  .facts { grid-template-columns: 1fr; gap: 0.1rem; }
  .facts dd { margin-bottom: 0.6rem; }
}
`;
