/**
 * `npm start`: the whole pipeline in the foreground, with demo data. Ctrl-C
 * (or SIGTERM) stops everything it started, the DynamoDB Local JVM included.
 *
 *   npm start                 state kept in .local/ across restarts
 *   npm start -- --reset      start clean
 *   PORT=8080 npm start       API on another port
 *   npm start -- --store-registry my-stores.json
 *                             another data-store registry (e.g. with a manual store)
 *
 * With --json-ready, one JSON line with every URL is printed once the stack is
 * ready (the integration tests start the stack this way).
 */
import { parseArgs } from 'node:util';
import { startLocalStack } from './stack';

const { values } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    'state-dir': { type: 'string' },
    port: { type: 'string' },
    'smtp-port': { type: 'string' },
    'json-ready': { type: 'boolean', default: false },
    'store-registry': { type: 'string' },
  },
});

const port = Number(values.port ?? process.env.PORT ?? 3000);
const smtpPort = Number(values['smtp-port'] ?? process.env.SMTP_PORT ?? 2525);

const stack = await startLocalStack({
  reset: values.reset,
  apiPort: port,
  smtpPort,
  ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
  ...(values['store-registry'] ? { storeRegistryFile: values['store-registry'] } : {}),
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local pipeline…`);
  await stack.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

const { urls } = stack;
if (values['json-ready']) {
  console.log(JSON.stringify({ ready: urls }));
} else {
  console.log(`
DSAR pipeline running locally (state in ${urls.stateDir})

  Request form   ${urls.api}/
  Console        ${urls.api}/console  (sign in with a token from npx dsar token)
  API            ${urls.api}
  OpenAPI        ${urls.openapi}
  Outbox (mail)  ${urls.outbox}
  Outbox (SMS)   ${urls.smsOutbox}
  SMTP intake    ${urls.smtp}  (send request emails here)
  Portability    ${urls.portabilityInbox}  (the fake recipient a portability request may name)

Try it:
  curl -s -X POST ${urls.api}/v1/requests -H 'content-type: application/json' \\
    -d '{"type":"access","subject":{"email":"li.lei@example.com"}}'

Then open the outbox for the verification code. A request with only a phone number
(-d '{"type":"access","subject":{"phone":"13800138000"}}') gets its code in the SMS outbox.

Console API (roles agent, supervisor, auditor): mint a token, then list requests:
  TOKEN=$(npx dsar token --role agent --user alice${values['state-dir'] ? ` --state-dir ${urls.stateDir}` : ''})
  curl -s ${urls.api}/v1/console/requests -H "authorization: Bearer $TOKEN"

Ctrl-C stops everything.
`);
}
