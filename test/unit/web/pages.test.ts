import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ListQuerySchema } from '../../../domain/console/console-input';
import { escapeHtml } from '../../../domain/escape-html';
import { getPolicy, listPolicies } from '../../../domain/policy/registry';
import { REQUEST_TYPES } from '../../../domain/request';
import { QUEUE_FILTERS } from '../../../web/client/console-model';
import { FORM_FIELDS } from '../../../web/client/form-model';
import { cspHash, scriptValue } from '../../../web/html';
import {
  CONSOLE_SCRIPT,
  consolePage,
  FORM_SCRIPT,
  formPage,
  PAGE_CSP,
  STATUS_SCRIPT,
  statusPage,
} from '../../../web/pages';
import { PAGE_CSS } from '../../../web/styles';

const residence = (code: string, policyId: string) => ({
  code,
  name: { zh: `地区 ${code}`, en: `Region ${code}` },
  policy: getPolicy(policyId),
});
const form = formPage({ residences: [residence('CN', 'caftrade'), residence('EU', 'gdpr')] });
const status = statusPage();
const consoleHtml = consolePage({ policies: listPolicies() });

function inlineBlocks(html: string, tag: 'script' | 'style'): string[] {
  return [...html.matchAll(new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1]!);
}

function idsIn(html: string): string[] {
  return [...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]!);
}

describe('the requester pages', () => {
  it.each([
    ['form', form],
    ['status', status],
    ['console', consoleHtml],
  ])(
    'allows every inline script and style of the %s page by its hash, and nothing else inline',
    (_, html) => {
      const scripts = inlineBlocks(html, 'script');
      const styles = inlineBlocks(html, 'style');
      expect(scripts).toHaveLength(1);
      expect(styles).toEqual([PAGE_CSS]);
      for (const block of [...scripts, ...styles]) expect(PAGE_CSP).toContain(cspHash(block));
      expect(PAGE_CSP).not.toContain('unsafe-inline');
      expect(PAGE_CSP).not.toContain('unsafe-eval');
      // Inline handlers and style attributes would need 'unsafe-inline' (or break silently).
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/\sstyle\s*=/i);
    },
  );

  it('limits the pages to this origin, enforces Trusted Types and forbids framing', () => {
    expect(PAGE_CSP.split('; ')).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'",
      ]),
    );
  });

  it.each([
    ['form', FORM_SCRIPT],
    ['status', STATUS_SCRIPT],
    ['console', CONSOLE_SCRIPT],
  ])('ships a %s script that compiles and cannot end its script element early', (_, script) => {
    expect(() => new Script(script)).not.toThrow();
    expect(script).not.toMatch(/<\/script|<!--/i);
    // The pages run it as a module, where declaring a name twice is an error a Script would let through.
    const declared = [...script.matchAll(/^(?:function|const|let|class) ([\w$]+)/gm)].map(
      (match) => match[1],
    );
    expect(declared.filter((name, index) => declared.indexOf(name) !== index)).toEqual([]);
  });

  it('never assigns markup to an HTML sink, which Trusted Types would refuse', () => {
    for (const script of [FORM_SCRIPT, STATUS_SCRIPT, CONSOLE_SCRIPT]) {
      expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(/);
    }
  });

  it('names every input after the API field it fills, with a place for its error', () => {
    const ids = idsIn(form);
    for (const field of FORM_FIELDS) {
      expect(form).toContain(`name="${field}"`);
      expect(ids).toContain(`error-${field.replace(/\./g, '-')}`);
    }
  });

  it('ties every label to an input and every description to an element on the page', () => {
    for (const html of [form, status, consoleHtml]) {
      const ids = idsIn(html);
      expect(new Set(ids).size).toBe(ids.length);
      for (const [, target] of html.matchAll(/<label[^>]*\sfor="([^"]+)"/g)) expect(ids).toContain(target);
      for (const [, list] of html.matchAll(/aria-(?:describedby|labelledby)="([^"]+)"/g)) {
        for (const target of list!.split(' ')) expect(ids).toContain(target);
      }
    }
  });

  it('offers all nine request types, each with its explanation', () => {
    for (const type of REQUEST_TYPES) {
      expect(form).toContain(
        `id="type-${type}" name="type" value="${type}" aria-describedby="hint-type-${type}"`,
      );
    }
  });

  it("preselects the organisation's first residence, shows its policy's terms and never offers a policy to choose", () => {
    const gdprFirst = formPage({ residences: [residence('EU', 'gdpr'), residence('CN', 'caftrade')] });
    expect(gdprFirst).toMatch(/<option value="EU"[^>]* selected>/);
    expect(gdprFirst).not.toMatch(/<option value="CN"[^>]* selected>/);
    expect(gdprFirst).toContain(escapeHtml(getPolicy('gdpr').organisation));
    expect(gdprFirst).toContain('<span class="guardian-age">16</span>');
    expect(gdprFirst).not.toContain('name="policyId"');
  });

  it('refuses an organisation that lists no residence', () => {
    expect(() => formPage({ residences: [] })).toThrow(/no residence/);
  });

  it('marks the request types the default policy does not list', () => {
    expect(form).toMatch(/data-not-offered="access" hidden>/);
    expect(form).toMatch(/data-not-offered="portability">/);
  });

  it('holds no request data: the status page is the same for every request', () => {
    expect(statusPage()).toBe(status);
    expect(status).not.toMatch(/dsr-[0-9a-f]/);
  });
});

describe('the console page', () => {
  it('holds no request data and takes no token from the address: the same page for everyone', () => {
    expect(consolePage({ policies: listPolicies() })).toBe(consoleHtml);
    expect(consoleHtml).not.toMatch(/dsr-[0-9a-f]/);
    expect(CONSOLE_SCRIPT).not.toMatch(/location\.search|URLSearchParams\(location/);
    // The token lives for the tab only, never in localStorage or a cookie.
    expect(CONSOLE_SCRIPT).toContain('sessionStorage');
    expect(CONSOLE_SCRIPT).not.toMatch(/localStorage|document\.cookie/);
  });

  it.each(listPolicies().map((policy) => [policy.id, policy] as const))(
    'offers the refusal grounds of %s, and only those, for its requests',
    (id, policy) => {
      const template = new RegExp(`<template data-refusal-grounds="${id}">(.*?)</template>`).exec(
        consoleHtml,
      )?.[1];
      const offered = [...(template ?? '').matchAll(/<option value="([^"]+)">/g)].map((match) => match[1]);
      expect(offered).toEqual(policy.refusalGrounds);
    },
  );

  it.each(listPolicies().map((policy) => [policy.id, policy] as const))(
    'offers the identity checks %s accepts from an agent, and only those, in the identity review',
    (id, policy) => {
      const template = new RegExp(`<template data-identity-methods="${id}">(.*?)</template>`).exec(
        consoleHtml,
      )?.[1];
      const offered = [...(template ?? '').matchAll(/<option value="([^"]+)">/g)].map((match) => match[1]);
      expect(offered.length).toBeGreaterThan(0);
      for (const method of offered) expect(policy.identityMethods).toContain(method);
    },
  );

  it('groups the identity review checkboxes under a legend, with a hint and a place for the error', () => {
    const form = /<form id="identity-form"[\s\S]*?<\/form>/.exec(consoleHtml)?.[0] ?? '';
    expect(form).toMatch(
      /<fieldset id="identity-identifiers" aria-describedby="identity-identifiers-hint error-identity-identifiers">\s*<legend>/,
    );
    for (const name of ['method', 'evidenceKey', 'note']) expect(form).toContain(`name="${name}"`);
  });

  it("tells the script each policy's clock unit and extension rule", () => {
    for (const policy of listPolicies()) {
      const rule = policy.extension
        ? policy.extension.reasonRequired
          ? 'reason-required'
          : 'reason-optional'
        : 'none';
      expect(consoleHtml).toContain(
        `<option value="${policy.id}" data-unit="${policy.clock.unit}" data-extension="${rule}">`,
      );
    }
  });

  it('offers a filter for every query parameter of the list but the page size and cursor', () => {
    for (const name of QUEUE_FILTERS) expect(consoleHtml).toContain(`name="${name}"`);
    expect(
      Object.keys(ListQuerySchema.shape).filter(
        (name) => !(QUEUE_FILTERS as readonly string[]).includes(name),
      ),
    ).toEqual(['limit', 'cursor']);
  });
});

describe('the HTML helpers', () => {
  it('escapes text for element content and attribute values', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    );
  });

  it('writes values into a script so that no string can close the element', () => {
    const value = { text: '</script><script>alert(1)</script>' };
    expect(scriptValue(value)).not.toContain('</');
    expect(JSON.parse(scriptValue(value))).toEqual(value);
  });

  it('hashes an inline block as a CSP source', () => {
    expect(cspHash('')).toBe("'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
  });
});
