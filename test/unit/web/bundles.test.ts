import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildWebBundles, OUTPUT_FILE, PAGES, serialise } from '../../../scripts/build-web';
import { cspHash } from '../../../web/html';

const committed = readFileSync(OUTPUT_FILE, 'utf8');

describe('the page bundles (web/generated/bundles.json)', () => {
  it('are what web/client builds to today (run `npm run build:web` and commit the result)', async () => {
    expect(serialise(await buildWebBundles())).toBe(committed);
  }, 30_000);

  it.each(PAGES)('list the %s bundle with the CSP hash of its exact text', (page) => {
    const bundle = JSON.parse(committed)[page] as { script: string; hash: string };
    expect(bundle.hash).toBe(cspHash(bundle.script));
  });

  it.each(PAGES)('carry the server facts of the %s page as data, not the domain modules or zod', (page) => {
    const { script } = JSON.parse(committed)[page] as { script: string };
    expect(script).not.toMatch(/ZodError|safeParse|node:/);
    // One self-contained function, nothing global: the pages share a document with nothing else.
    expect(script).toMatch(/^"use strict";\(\(\)=>\{[\s\S]*\}\)\(\);$/);
  });
});
