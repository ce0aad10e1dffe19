/**
 * Browser code shared by the pages: building DOM nodes (never from HTML
 * strings: the pages' CSP requires Trusted Types for every HTML sink, so none
 * is used), calling the JSON API, showing a problem next to its field, and the
 * verification-code step.
 */
import type { Bilingual } from '../labels';
import { type ApiProblem, problemPlacement, validateCode } from './form-model';
import { PROBLEM_TEXT } from './server-facts';

type Child = Node | string | null | undefined;
type Attributes = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** An element with attributes and children (strings become text nodes, never markup). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | readonly Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(
    ...children.flat().filter((child): child is Node | string => child !== undefined && child !== null),
  );
  return element;
}

/** Chinese then English, each tagged with its language. */
export function bi(text: Bilingual, className = 'bi'): HTMLSpanElement {
  return h(
    'span',
    { class: className },
    h('span', { lang: 'zh-CN' }, text.zh),
    ' ',
    h('span', { lang: 'en', class: 'en' }, text.en),
  );
}

/** The element with this id, which the page's HTML (web/pages.ts) always has. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

export type ApiAnswer<T = unknown> =
  | { ok: true; status: number; data: T }
  | { ok: false; status: number; problem: ApiProblem };

/**
 * Calls the JSON API on this origin. Resolves to { ok, status, data } or
 * { ok: false, status, problem } with the API's { code, message, field? };
 * a network failure is status 0 with code "network".
 */
export async function callApi<T = unknown>(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, status: 0, problem: { code: 'network', message: PROBLEM_TEXT.network!.en } };
  }
  let data: unknown = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.ok) return { ok: true, status: response.status, data: data as T };
  const error = (data as { error?: ApiProblem } | null)?.error;
  const problem = error
    ? error
    : { code: response.status >= 500 ? 'internal' : 'unknown', message: `HTTP ${response.status}` };
  return { ok: false, status: response.status, problem };
}

/** The id of the element that holds a field's error: field "subject.email" -> "error-subject-email". */
function errorIdFor(field: string): string {
  return `error-${field.replace(/\./g, '-')}`;
}

/** Shows (or, with null, clears) a field's error next to it and marks its inputs invalid. */
export function showFieldError(form: HTMLFormElement, field: string, message: Bilingual | null): void {
  const slot = document.getElementById(errorIdFor(field));
  if (slot) slot.replaceChildren(...(message ? [bi(message)] : []));
  for (const input of form.querySelectorAll(`[name="${field}"]`)) {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

export function clearFieldErrors(form: HTMLFormElement, fields: readonly string[]): void {
  for (const field of fields) showFieldError(form, field, null);
}

/** Focuses the first input of a field, so the keyboard and the screen reader land on the problem. */
export function focusField(form: HTMLFormElement, field: string): void {
  const input =
    form.querySelector<HTMLElement>(`[name="${field}"]:checked`) ??
    form.querySelector<HTMLElement>(`[name="${field}"]`);
  if (input) input.focus();
}

/**
 * Replaces the content of a live region; its role makes assistive technology
 * announce it. The region itself stays in the page (an empty one takes no
 * space), because a region that appears together with its text may go unheard.
 */
export function announce(region: Element, ...content: (Node | string | null)[]): void {
  region.replaceChildren(...content.filter((node): node is Node | string => node !== null));
}

/**
 * The verification-code step: posts the code, and says what happened — wrong
 * code (tries left), expired, locked — next to the code input or in the
 * outcome region. Calls onVerified with the API's answer once the request no
 * longer waits for a code; onExpired lets the page offer a way to start again.
 */
export function bindVerifyForm(
  form: HTMLFormElement,
  outcome: HTMLElement,
  {
    requestId,
    onVerified,
    onExpired,
  }: { requestId: string; onVerified: (answer: unknown) => void; onExpired?: () => void },
): void {
  const input = form.querySelector<HTMLInputElement>('[name="code"]')!;
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    showFieldError(form, 'code', null);
    announce(outcome);
    const checked = validateCode(input.value);
    if ('message' in checked) {
      showFieldError(form, 'code', checked.message);
      input.focus();
      return;
    }
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    const result = await callApi('POST', `/v1/requests/${encodeURIComponent(requestId)}/verify`, {
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
