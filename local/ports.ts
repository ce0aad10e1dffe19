/**
 * Loopback-only listening for the local stack's servers.
 *
 * Why it exists: every local server must be reachable from this machine only
 * (they hold personal data from test requests and accept unauthenticated
 * calls), and must be able to start on port 0 so that parallel test files and
 * a running `npm start` never collide. Binding port 0 and reading back the
 * port the kernel chose is race-free; `findFreePort` exists only for servers
 * that cannot report their own port (a process we do not control).
 */
import { createServer, type Server } from 'node:net';

export const LOOPBACK_HOST = '127.0.0.1';

/**
 * Starts `server` on 127.0.0.1:`port` (0 or omitted: a port the kernel picks)
 * and resolves with the port actually bound.
 */
export async function listenOnLoopback(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, LOOPBACK_HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('Server is not listening on a TCP port');
  }
  return address.port;
}

/**
 * Closes a server started with `listenOnLoopback`. HTTP keep-alive connections
 * are dropped at once: a stopping local stack must not wait for an SDK
 * client's idle socket to time out.
 */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    if ('closeAllConnections' in server && typeof server.closeAllConnections === 'function') {
      server.closeAllConnections();
    }
  });
}

/**
 * A port that was free on 127.0.0.1 a moment ago. Another process may take it
 * before the caller binds it, so prefer `listenOnLoopback(server, 0)` wherever
 * the server can report its own port.
 */
export async function findFreePort(): Promise<number> {
  const probe = createServer();
  const port = await listenOnLoopback(probe, 0);
  await closeServer(probe);
  return port;
}
