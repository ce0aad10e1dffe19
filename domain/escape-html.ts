/**
 * The one HTML escaper, for every page the project writes: the requester and
 * console pages (web/) and the export package's index page (domain/export/).
 * Pure text, so it lives in domain/, the layer every other layer may import.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}
