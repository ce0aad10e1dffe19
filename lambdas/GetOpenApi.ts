/** GetOpenApi: GET /openapi.json, the API's OpenAPI document (app/api/openapi.ts), built once per cold start. */
import { httpApi, jsonResponse } from '../adapters/lambda/http-api';
import { buildOpenApiDocument } from '../app/api/openapi';

const document = buildOpenApiDocument();

export const handler = httpApi(async () =>
  jsonResponse(200, document, { 'cache-control': 'public, max-age=300' }),
);
