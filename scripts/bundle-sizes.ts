/**
 * Prints the size of every Lambda bundle in cdk.out after `cdk synth`, largest
 * first, so a dependency that bloats a function (and its cold start) shows up
 * in review. Run by `npm run synth`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const outDir = process.argv[2] ?? 'cdk.out';
const template = readdirSync(outDir).find((file) => file.endsWith('.template.json'));
if (!template) throw new Error(`No template in ${outDir}: run cdk synth first`);
const resources = (
  JSON.parse(readFileSync(join(outDir, template), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  }
).Resources;

const rows: { name: string; bytes: number }[] = [];
for (const [logicalId, resource] of Object.entries(resources)) {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (resource.Type !== 'AWS::Lambda::Function' || !assetPath) continue;
  const dir = join(outDir, assetPath);
  const bytes = readdirSync(dir)
    .filter((file) => file.endsWith('.mjs') || file.endsWith('.js'))
    .reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
  rows.push({ name: resource.Metadata?.['aws:cdk:path']?.split('/').at(-3) ?? logicalId, bytes });
}
rows.sort((a, b) => b.bytes - a.bytes);
const width = Math.max(...rows.map((row) => row.name.length));
console.log(`Lambda bundles (${rows.length}), minified, without source maps:`);
for (const row of rows)
  console.log(`  ${row.name.padEnd(width)}  ${(row.bytes / 1024).toFixed(1).padStart(8)} KiB`);
