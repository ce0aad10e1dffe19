/**
 * A minimal peer that speaks the Lambda Invoke protocol
 * (POST /2015-03-31/functions/{name}/invocations), so the SMTP intake can be
 * tested with the real LambdaClient without the local Lambda endpoint, which
 * is built separately. It records each invocation and answers 202 to `Event`
 * invocations, or the status it is told to answer with (to inject a fault).
 */
import { createServer } from 'node:http';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../local/credentials';
import { closeServer, LOOPBACK_HOST, listenOnLoopback } from '../../../local/ports';

export interface RecordedInvocation {
  readonly functionName: string;
  readonly invocationType: string | undefined;
  readonly payload: unknown;
}

export interface LambdaInvokePeer {
  readonly client: LambdaClient;
  readonly invocations: RecordedInvocation[];
  /** Status to answer with from now on; 202 is a successful `Event` invocation. */
  answerWith(status: number): void;
  stop(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaInvokePeer(): Promise<LambdaInvokePeer> {
  const invocations: RecordedInvocation[] = [];
  let status = 202;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const match = INVOKE_PATH.exec(request.url?.split('?')[0] ?? '');
      if (request.method !== 'POST' || match?.[1] === undefined) {
        response.writeHead(404, { 'x-amzn-errortype': 'ResourceNotFoundException' }).end('{}');
        return;
      }
      invocations.push({
        functionName: decodeURIComponent(match[1]),
        invocationType: request.headers['x-amz-invocation-type'] as string | undefined,
        payload: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      });
      if (status === 202) {
        response.writeHead(202).end();
      } else {
        response
          .writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-errortype': 'ServiceException' })
          .end(JSON.stringify({ message: 'injected fault' }));
      }
    });
  });
  const port = await listenOnLoopback(server);
  const client = new LambdaClient({
    endpoint: `http://${LOOPBACK_HOST}:${port}`,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  return {
    client,
    invocations,
    answerWith(next) {
      status = next;
    },
    async stop() {
      client.destroy();
      await closeServer(server);
    },
  };
}
