/** ConsoleEvidencePack: GET /v1/console/requests/{id}/evidence, the request's evidence pack as a zip (app/console/evidence-pack.ts). */

import { calendarSource } from '../adapters/aws/calendar-notices';
import { trailMac } from '../adapters/aws/kms-trail-mac';
import { requestRepository } from '../adapters/aws/request-store';
import { bundledStoreCatalogue } from '../adapters/config/store-registry';
import { consoleRoute } from '../adapters/lambda/console-api';
import { zipArchiver } from '../adapters/net/zip-archive';
import { evidencePack } from '../app/console/evidence-pack';
import { systemClock } from '../app/ports';

const deps = {
  requests: requestRepository,
  calendars: calendarSource,
  clock: systemClock,
  stores: bundledStoreCatalogue,
  archiver: zipArchiver,
  trailMac,
};

export const handler = consoleRoute({}, async ({ caller, requestId }) => {
  const pack = await evidencePack(deps, caller, requestId);
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="${pack.fileName}"`,
      'cache-control': 'no-store',
    },
    body: Buffer.from(pack.zip).toString('base64'),
    isBase64Encoded: true,
  };
});
