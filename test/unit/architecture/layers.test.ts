import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type IReporterOutput, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

// The rules `npm run layers` checks (docs/architecture.md, "Layers and their rules").
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../fixtures/layers-violation/', import.meta.url));

async function violations(baseDir: string, paths: string[], tsConfigFile?: string): Promise<IViolation[]> {
  const options: ICruiseOptions = await extractDepcruiseOptions(`${ROOT}.dependency-cruiser.cjs`);
  const tsConfig = tsConfigFile === undefined ? undefined : extractTSConfig(tsConfigFile);
  const result: IReporterOutput = await cruise(
    paths,
    {
      ...options,
      baseDir,
      validate: true,
      tsConfig: tsConfigFile === undefined ? undefined : { fileName: tsConfigFile },
    },
    {},
    { tsConfig },
  );
  if (typeof result.output === 'string') throw new Error('expected a cruise result, got a report');
  return result.output.summary.violations;
}

describe('the layer rules', () => {
  it('report domain code that imports an entry file', async () => {
    const found = await violations(FIXTURE, ['domain', 'lambdas']);

    // Two rules say it: domain imports only domain, and nothing imports an entry file.
    expect(found.map(({ from, to, rule }) => `${rule.name}: ${from} -> ${to}`).sort()).toEqual([
      'domain-imports-only-domain: domain/due-date.ts -> lambdas/Handler.ts',
      'nothing-imports-entry-files: domain/due-date.ts -> lambdas/Handler.ts',
    ]);
  }, 60_000);

  it('find no violation in the repository', async () => {
    const found = await violations(ROOT, ['.'], `${ROOT}tsconfig.json`);

    expect(found.map(({ from, to, rule }) => `${rule.name}: ${from} -> ${to}`)).toEqual([]);
  }, 120_000);
});
