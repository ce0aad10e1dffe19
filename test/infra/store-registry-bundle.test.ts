import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FULFILMENT_TASKS } from '../../definitions/functions';
import { PipelineData } from '../../infra/constructs/data/pipeline-data';
import { PipelineFunction } from '../../infra/constructs/functions/pipeline-function';
import paperArchive from '../fixtures/stores/paper-archive.json' with { type: 'json' };
import { testStack } from './support/cdk';

const LOAD_REQUEST = FULFILMENT_TASKS.find((definition) => definition.id === 'LoadRequest')!;

/** The bundled code of a function: the `index.mjs` of its staged asset in the cloud assembly. */
function bundledCode(app: App, assetHash: string): string {
  const outdir = app.outdir;
  const folder = readdirSync(outdir).find((name) => name === `asset.${assetHash}`);
  if (!folder) throw new Error(`no staged asset ${assetHash} in ${outdir}`);
  return readFileSync(join(outdir, folder, 'index.mjs'), 'utf8');
}

describe('the bundled data-store registry', () => {
  it('bundles the configured registry file into the functions that load the registry', () => {
    const registryFile = join(mkdtempSync(join(tmpdir(), 'dsar-registry-')), 'stores.json');
    writeFileSync(
      registryFile,
      JSON.stringify({ organisation: 'Registry bundling probe organisation', stores: [paperArchive] }),
    );
    const stack = testStack();
    const data = new PipelineData(stack, 'Data');
    const fn = new PipelineFunction(stack, 'LoadRequest', {
      definition: LOAD_REQUEST,
      tables: data.tables,
      buckets: data.buckets,
      storeRegistryFile: registryFile,
    });
    const template = Template.fromStack(stack).toJSON() as {
      Resources: Record<string, { Properties: { Code?: { S3Key?: string } } }>;
    };
    const logicalId = stack.getLogicalId(fn.function.node.defaultChild as CfnElement);
    const s3Key = template.Resources[logicalId]!.Properties.Code!.S3Key!;
    const code = bundledCode(stack.node.root as App, s3Key.replace(/\.zip$/, ''));

    expect(code).toContain('Registry bundling probe organisation');
    expect(code).toContain('paper-archive');
    // The demo organisation's registry is not in the bundle.
    expect(code).not.toContain('Demo shop (fictional');
  });
});
