/**
 * PostgreSQL for local mode and the connector tests: the real server from the
 * machine's PostgreSQL packages (Debian: /usr/lib/postgresql/<major>/bin),
 * started as a child process on 127.0.0.1 with its cluster under
 * `<stateDir>/postgres`.
 *
 * Why a real server: the postgres connector's guarantees (one transaction per
 * subject, cursors, serialization failures) are PostgreSQL behaviour; an
 * in-memory imitation would test the imitation.
 *
 * Why another user: PostgreSQL refuses to run as root ("root" execution of
 * the PostgreSQL server is not permitted), and this project's machines run
 * as root. So initdb and postgres run as an unprivileged user — the
 * `postgres` system user the Debian package creates, else `nobody` — through
 * `setpriv`, which exec()s in place, so the child's pid is the postmaster's
 * and signals reach it directly. The cluster directory is chown'ed to that
 * user (PostgreSQL requires it to own its data directory, mode 0700), and the
 * state directory gets the search bit for others so that user can reach it.
 *
 * How it never outlives us: `terminateWithParent` stops it on exit, SIGINT
 * and SIGTERM; `setpriv --pdeathsig` has the kernel send SIGINT (PostgreSQL's
 * "fast shutdown") when the parent dies without running handlers (SIGKILL).
 *
 * What it does not do: TLS, replication, or listen anywhere but loopback.
 * Authentication is `trust`, which is safe only because the server listens on
 * 127.0.0.1 alone and no Unix socket is created (unix_socket_directories is
 * empty, which also avoids /var/run/postgresql permissions).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, chown, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { terminateWithParent } from './child-processes';
import { findFreePort, LOOPBACK_HOST } from './ports';

/** PostgreSQL could not be found, initialised or started. */
export class PostgresStartError extends Error {
  override name = 'PostgresStartError' as const;
}

export interface PostgresOptions {
  /** Directory for persistent state; the cluster lives in `<stateDir>/postgres/data`. */
  readonly stateDir: string;
  /** @default 0 (a port that was free a moment before the server starts) */
  readonly port?: number;
  /** Database created (if missing) and named in `url`. @default 'dsar_demo' */
  readonly database?: string;
  /** Directory holding initdb and postgres. @default the newest /usr/lib/postgresql/<major>/bin */
  readonly binDir?: string;
  /** How long to wait for the server to accept connections. @default 60_000 */
  readonly readyTimeoutMs?: number;
}

export interface LocalPostgres {
  /** `postgres://dsar@127.0.0.1:<port>/<database>`, the value for `PG_<CONNECTION>_URL`. */
  readonly url: string;
  readonly port: number;
  /** Process id of the postmaster. */
  readonly pid: number;
  /** The same server's URL for another database (which must exist). */
  urlFor(database: string): string;
  /** Fast shutdown (clients disconnected, no recovery needed next start); waits until it has exited. */
  stop(): Promise<void>;
}

/** The superuser initdb creates; the connection URL's user name. */
export const LOCAL_POSTGRES_USER = 'dsar';
const DEFAULT_DATABASE = 'dsar_demo';
const POSTGRES_ROOT = '/usr/lib/postgresql';
const OUTPUT_TAIL_CHARS = 4_000;
const INSTALL_HINT = 'install postgresql: apt-get install postgresql';
/** Attempts when the picked free port is taken before the server binds it. */
const PORT_ATTEMPTS = 3;

/** The newest `/usr/lib/postgresql/<major>/bin` that has initdb and postgres. */
export async function locatePostgresBinaries(root = POSTGRES_ROOT): Promise<string> {
  const majors = await readdir(root).catch(() => [] as string[]);
  const candidates = majors
    .filter((entry) => /^\d+(\.\d+)?$/.test(entry))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(root, major, 'bin'));
  for (const binDir of candidates) {
    const found = await Promise.all(
      ['initdb', 'postgres'].map((tool) =>
        stat(join(binDir, tool)).then(
          (file) => file.isFile(),
          () => false,
        ),
      ),
    );
    if (found.every(Boolean)) return binDir;
  }
  throw new PostgresStartError(`No PostgreSQL server binaries in ${root}/<major>/bin (${INSTALL_HINT})`);
}

interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** The unprivileged user to run the server as when we are root: `postgres` if present, else `nobody`. */
async function unprivilegedUser(): Promise<ServerUser> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const users = new Map<string, ServerUser>();
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name && uid && gid) users.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  const user = users.get('postgres') ?? users.get('nobody');
  if (user === undefined) throw new PostgresStartError('Neither a postgres nor a nobody user exists');
  return user;
}

interface Launcher {
  /** Command and arguments that run `program args` as the server's user. */
  command(program: string, args: readonly string[]): [string, string[]];
  /** Gives a path we created to the server's user. */
  own(path: string): Promise<void>;
  /** Throws if the server's user cannot reach `dir` (a parent without the search bit for it). */
  checkReachable(dir: string): Promise<void>;
}

async function launcher(): Promise<Launcher> {
  if (process.getuid?.() !== 0) {
    return {
      command: (program, args) => [program, [...args]],
      own: async () => {},
      checkReachable: async () => {},
    };
  }
  const user = await unprivilegedUser();
  return {
    command: (program, args) => [
      'setpriv',
      [
        `--reuid=${user.uid}`,
        `--regid=${user.gid}`,
        '--clear-groups',
        '--pdeathsig=SIGINT',
        program,
        ...args,
      ],
    ],
    own: (path) => chown(path, user.uid, user.gid),
    checkReachable: async (dir) => {
      for (let current = resolve(dir); ; current = dirname(current)) {
        const { mode, uid, gid } = await stat(current);
        const searchable = uid === user.uid ? mode & 0o100 : gid === user.gid ? mode & 0o010 : mode & 0o001;
        if (!searchable) {
          throw new PostgresStartError(
            `PostgreSQL runs as ${user.name}, who cannot enter ${current}; ` +
              `use a state directory outside it, or allow others to enter it (chmod o+x ${current})`,
          );
        }
        if (current === dirname(current)) return;
      }
    },
  };
}

function tail(output: string): string {
  return output.slice(-OUTPUT_TAIL_CHARS);
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = tail(output + chunk.toString('utf8'));
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) =>
      reject(new PostgresStartError(`Could not run ${command}: ${error.message}`, { cause: error })),
    );
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new PostgresStartError(`${args.join(' ')} failed (exit ${code}):\n${output}`)),
    );
  });
}

async function initialiseCluster(binDir: string, dataDir: string, as: Launcher): Promise<void> {
  if (
    await stat(join(dataDir, 'PG_VERSION')).then(
      () => true,
      () => false,
    )
  )
    return;
  const [command, args] = as.command(join(binDir, 'initdb'), [
    `--pgdata=${dataDir}`,
    `--username=${LOCAL_POSTGRES_USER}`,
    // trust is bounded by the server listening on loopback only and creating no Unix socket.
    '--auth=trust',
    '--encoding=UTF8',
    // The C locale needs no generated system locales, so a fresh machine can initdb.
    '--locale=C',
  ]);
  await run(command, args);
}

async function waitForConnections(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new PostgresStartError(`PostgreSQL exited while starting. Output:\n${output()}`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new PostgresStartError(
          `PostgreSQL did not accept connections within ${timeoutMs} ms. Output:\n${output()}`,
          { cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    // CREATE DATABASE takes no parameters; the name is quoted as an identifier.
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** SIGINT is PostgreSQL's fast shutdown; SIGQUIT (immediate) and SIGKILL only if it hangs. */
async function fastShutdown(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill('SIGINT');
  const immediate = setTimeout(() => child.kill('SIGQUIT'), graceMs);
  const kill = setTimeout(() => child.kill('SIGKILL'), graceMs * 2);
  try {
    await done;
  } finally {
    clearTimeout(immediate);
    clearTimeout(kill);
  }
}

interface Started {
  readonly child: ChildProcess;
  readonly port: number;
  readonly output: () => string;
}

function spawnServer(binDir: string, dataDir: string, port: number, as: Launcher): Started {
  const [command, args] = as.command(join(binDir, 'postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    `listen_addresses=${LOOPBACK_HOST}`,
    '-c',
    'unix_socket_directories=',
  ]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  terminateWithParent(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = tail(output + chunk.toString('utf8'));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // Without a listener an 'error' (spawn failure) would be thrown; waitForConnections reports it.
  child.once('error', (error) => {
    output += `\n${error.message}`;
  });
  return { child, port, output: () => output };
}

/**
 * Starts PostgreSQL on 127.0.0.1, initialising the cluster first if
 * `<stateDir>/postgres/data` is empty, and creates `database` if missing.
 * Resolves once the server accepts connections.
 */
export async function startPostgres(options: PostgresOptions): Promise<LocalPostgres> {
  const { stateDir, database = DEFAULT_DATABASE, readyTimeoutMs = 60_000 } = options;
  const binDir = options.binDir ?? (await locatePostgresBinaries());
  const as = await launcher();
  const clusterDir = join(stateDir, 'postgres');
  const dataDir = join(clusterDir, 'data');
  await mkdir(dataDir, { recursive: true });
  // Search (not read) permission for others on the state directory, so the server's user reaches its cluster.
  await chmod(stateDir, (await stat(stateDir)).mode | 0o001);
  await as.checkReachable(stateDir);
  await as.own(clusterDir);
  await as.own(dataDir);
  await chmod(clusterDir, 0o700);
  await chmod(dataDir, 0o700);
  await initialiseCluster(binDir, dataDir, as);

  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort());
    const server = spawnServer(binDir, dataDir, port, as);
    const urlFor = (name: string) =>
      `postgres://${LOCAL_POSTGRES_USER}@${LOOPBACK_HOST}:${port}/${encodeURIComponent(name)}`;
    try {
      await waitForConnections(urlFor('postgres'), server.child, readyTimeoutMs, server.output);
      await createDatabaseIfMissing(urlFor('postgres'), database);
    } catch (error) {
      await fastShutdown(server.child);
      const portTaken = /could not bind|Address already in use/i.test(server.output());
      if (portTaken && options.port === undefined && attempt < PORT_ATTEMPTS) continue;
      throw error;
    }
    const pid = server.child.pid;
    if (pid === undefined) throw new PostgresStartError('PostgreSQL has no process id');
    return { url: urlFor(database), port, pid, urlFor, stop: () => fastShutdown(server.child) };
  }
}
