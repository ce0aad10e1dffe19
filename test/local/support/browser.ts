/**
 * The browser the page tests drive: Debian's Chromium through playwright-core.
 * Without it the browser tests are skipped with a warning, except under CI,
 * where a missing browser must fail rather than pass silently.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** Without the background-networking flags Chromium floods a closed network with refused connections. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether to skip a browser test here; warns once per test file that asks. */
export function browserMissing(testName: string): boolean {
  const missing = !existsSync(CHROMIUM) && !process.env.CI;
  if (missing) {
    console.warn(
      `Skipping ${testName}: ${CHROMIUM} is missing (apt-get install -y chromium). With CI set it runs, and fails.`,
    );
  }
  return missing;
}
