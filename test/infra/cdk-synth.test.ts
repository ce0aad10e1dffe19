import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../infra/constructs/functions/pipeline-function';

/**
 * A machine with no AWS credentials or settings, and no way out: every HTTP(S)
 * request goes to a proxy on a closed local port.
 */
function offlineEnvironmentWithoutAws(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|CDK_)|_proxy$/i.test(name)) environment[name] = value;
  }
  const deadProxy = 'http://127.0.0.1:9';
  return { ...environment, CDK_DISABLE_VERSION_CHECK: '1', HTTPS_PROXY: deadProxy, HTTP_PROXY: deadProxy };
}

function tempOutdir(): string {
  return mkdtempSync(join(tmpdir(), 'dsar-synth-'));
}

describe('cdk synth', () => {
  it('synthesizes the stack offline with no AWS credentials, printing nothing but warnings', () => {
    const outdir = tempOutdir();
    // --no-notices: notices are fetched from the network and printed to stderr;
    // this test is about the app, not about CDK advisories of the day.
    const result = spawnSync('npx', ['cdk', 'synth', '-q', '--no-notices', '--output', outdir], {
      cwd: REPOSITORY_ROOT,
      env: offlineEnvironmentWithoutAws(),
      encoding: 'utf8',
      timeout: 170_000,
    });
    expect(result.error).toBeUndefined();
    expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
    const unexpected = result.stderr
      .split('\n')
      // CDK announces each asset it bundles on stderr; that is progress, not a problem.
      .filter(
        (line) => line.trim() !== '' && !/\bwarn(ing)?\b/i.test(line) && !line.startsWith('Bundling asset '),
      );
    expect(unexpected).toEqual([]);

    const templateFile = readdirSync(outdir).find((file) => file.endsWith('.template.json'));
    expect(templateFile).toBe('DsarPipeline.template.json');
    const template = readFileSync(join(outdir, templateFile ?? ''), 'utf8');
    expect(template).not.toContain('arn:aws:');
  });

  it('stops with the name of the field when the configuration is invalid', () => {
    const result = spawnSync(
      'npx',
      ['cdk', 'synth', '-q', '--no-notices', '-c', 'downloadLinkLifetimeDays=30', '--output', tempOutdir()],
      { cwd: REPOSITORY_ROOT, env: offlineEnvironmentWithoutAws(), encoding: 'utf8', timeout: 170_000 },
    );
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('- downloadLinkLifetimeDays:');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
