/**
 * `readsHmacKey` decides which functions get the HMAC key (infra/stack.ts). A flag that is too
 * generous hands the key to code that never needs it; one that is too strict breaks a function at
 * run time. So the flag is checked against the bundles themselves: esbuild tree-shakes each handler
 * as the stack does, and the key's variable name survives only where `hashKey()` is reachable.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { HMAC_KEY_SECRET_VARIABLE } from '../../adapters/aws/secrets';
import { PIPELINE_FUNCTIONS } from '../../definitions/functions';
import { STORE_REGISTRY_SPECIFIER } from '../../infra/constructs/functions/pipeline-function';

async function bundleReadsHmacKey(entry: string): Promise<boolean> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    minify: true,
    external: ['@aws-sdk/*'],
    alias: { [STORE_REGISTRY_SPECIFIER]: './config/data-stores.demo.json' },
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text.includes(HMAC_KEY_SECRET_VARIABLE);
}

describe('the functions given the HMAC key', () => {
  it('are exactly those whose bundle reads it', { timeout: 120_000 }, async () => {
    const verdicts = await Promise.all(
      PIPELINE_FUNCTIONS.map(async (definition) => ({
        id: definition.id,
        flagged: definition.readsHmacKey === true,
        reads: await bundleReadsHmacKey(definition.entry),
      })),
    );
    expect(verdicts.filter((verdict) => verdict.flagged !== verdict.reads)).toEqual([]);
    // Not every function: the point of the flag.
    expect(verdicts.filter((verdict) => !verdict.reads).length).toBeGreaterThan(10);
  });
});
