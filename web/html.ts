/**
 * The little HTML the server writes: escaping, bilingual text, JSON placed
 * inside a script, and the Content-Security-Policy hash of an inline block.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../domain/escape-html';
import type { Bilingual } from './labels';

/**
 * Chinese then English, each tagged with its language so that a screen reader
 * switches voice and CSS can set the English line apart.
 */
export function bilingual(text: Bilingual, className = 'bi'): string {
  return `<span class="${className}"><span lang="zh-CN">${escapeHtml(text.zh)}</span> <span lang="en" class="en">${escapeHtml(text.en)}</span></span>`;
}

/**
 * A value as a JavaScript expression that is safe inside an inline <script>:
 * `<` is escaped so that no string can close the element (`</script>`) or open
 * a comment.
 */
export function scriptValue(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The CSP source that allows exactly this inline <script> or <style> text. */
export function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
