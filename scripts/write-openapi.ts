/**
 * Writes docs/openapi.json from the route table and schemas (the same document
 * GET /openapi.json serves), so the API can be read without running anything.
 * `npm run openapi`; a unit test fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../app/api/openapi';

export const OPENAPI_FILE = new URL('../docs/openapi.json', import.meta.url);

export function openApiText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  writeFileSync(OPENAPI_FILE, openApiText());
  console.log('wrote docs/openapi.json');
}
