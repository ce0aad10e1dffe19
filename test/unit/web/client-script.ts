/**
 * Runs a page's client JavaScript text (web/client/*.ts) the way tests need
 * it: in a fresh V8 context that has the language's built-ins and URL but no
 * DOM, no fetch and no clock override, so a "pure" model that touched the
 * page or the network would fail here rather than in a browser.
 */
import { runInNewContext } from 'node:vm';

export function loadClientScript<T>(source: string, names: readonly string[]): T {
  return runInNewContext(`${source}\n({ ${names.join(', ')} });`, { URL }) as T;
}
