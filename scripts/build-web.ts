/**
 * Bundles the browser code of each page (web/client/*-page.ts) with esbuild —
 * one IIFE per page, minified, for ES2020 browsers — and writes the bundles,
 * each with its Content-Security-Policy hash, to web/generated/bundles.json,
 * which web/pages.ts inlines into the pages and lists in their policy.
 *
 * web/client/server-facts.ts (the request types, statuses, role matrix and
 * words the pages share with the server) is not bundled as code: its values
 * are written into the bundle as JSON literals, so the domain modules and zod
 * stay on the server.
 *
 * The output is committed, so `cdk synth`, the Lambda bundling and a plain
 * `vitest run` need no build step; a unit test (test/unit/web/bundles.test.ts)
 * checks it equals a fresh build. Run with `npm run build:web` (npm start,
 * npm test, npm run synth and npm run deploy run it first).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { cspHash } from '../web/html';

export const PAGES = ['form', 'status', 'console'] as const;
export type PageName = (typeof PAGES)[number];

export interface PageBundle {
  /** The script as the page inlines it. */
  readonly script: string;
  /** Its CSP source, `'sha256-…'`, for script-src. */
  readonly hash: string;
}

export type PageBundles = Readonly<Record<PageName, PageBundle>>;

const CLIENT_DIRECTORY = new URL('../web/client/', import.meta.url);
export const OUTPUT_FILE = new URL('../web/generated/bundles.json', import.meta.url);
const SERVER_FACTS = fileURLToPath(new URL('server-facts.ts', CLIENT_DIRECTORY));

/** Whether a value survives JSON unchanged: what the browser gets must be what the server holds. */
function isPlainData(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainData);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value as object).every(isPlainData);
  }
  return false;
}

/** The facts module's exports as JSON constants (`<` escaped, as in web/html.ts scriptValue). */
export async function serverFactsSource(): Promise<string> {
  const facts = (await import('../web/client/server-facts')) as Record<string, unknown>;
  // By name: a module namespace lists its exports in that order anyway, but a test runner's may not.
  return Object.entries(facts)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => {
      if (!isPlainData(value)) throw new Error(`server-facts export ${name} is not plain JSON data`);
      return `export const ${name} = ${JSON.stringify(value).replace(/</g, '\\u003c')};`;
    })
    .join('\n');
}

function serverFactsAsData(source: string): Plugin {
  return {
    name: 'server-facts-as-data',
    setup(esbuild) {
      esbuild.onLoad({ filter: /server-facts\.ts$/ }, (args) =>
        args.path === SERVER_FACTS ? { contents: source, loader: 'js' } : undefined,
      );
    },
  };
}

async function bundle(page: PageName, facts: string): Promise<PageBundle> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`${page}-page.ts`, CLIENT_DIRECTORY))],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [serverFactsAsData(facts)],
  });
  const script = result.outputFiles[0]!.text.trimEnd();
  return { script, hash: cspHash(script) };
}

/** Every page's bundle. */
export async function buildWebBundles(): Promise<PageBundles> {
  const facts = await serverFactsSource();
  const entries = await Promise.all(PAGES.map(async (page) => [page, await bundle(page, facts)] as const));
  return Object.fromEntries(entries) as Record<PageName, PageBundle>;
}

/** The file's text: one bundle per page, in page order. */
export function serialise(bundles: PageBundles): string {
  return `${JSON.stringify(bundles, null, 2)}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const bundles = await buildWebBundles();
  writeFileSync(OUTPUT_FILE, serialise(bundles));
  for (const page of PAGES) {
    const bytes = Buffer.byteLength(bundles[page].script, 'utf8');
    console.log(`web/generated/bundles.json ${page.padEnd(8)} ${(bytes / 1024).toFixed(1).padStart(6)} KiB`);
  }
}
