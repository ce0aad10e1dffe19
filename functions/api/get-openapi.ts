/** GET /openapi.json — the API's OpenAPI document, built once per cold start. */
import { httpApi, jsonResponse } from '../../adapters/lambda/http-api';
import { buildOpenApiDocument } from './openapi';

const document = buildOpenApiDocument();

export const handler = httpApi(async () =>
  jsonResponse(200, document, { 'cache-control': 'public, max-age=300' }),
);
