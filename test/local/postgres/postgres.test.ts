import { access, chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locatePostgresBinaries, PostgresStartError, startPostgres } from '../../../local/postgres';
import { exited, firstJsonLine, isRunning, runTypeScript, waitUntilGone } from '../storage/processes';

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('local PostgreSQL', () => {
  let stateDir: string;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-postgres-'));
  });

  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it('starts on loopback with the demo database, UTF8 and the dsar user', async () => {
    const postgres = await startPostgres({ stateDir });
    try {
      expect(postgres.url).toBe(`postgres://dsar@127.0.0.1:${postgres.port}/dsar_demo`);
      const [row] = await query<{ db: string; usr: string; enc: string; addr: string }>(
        postgres.url,
        `SELECT current_database() AS db, current_user AS usr,
                pg_encoding_to_char(encoding) AS enc, host(inet_server_addr()) AS addr
           FROM pg_database WHERE datname = current_database()`,
      );
      expect(row).toEqual({ db: 'dsar_demo', usr: 'dsar', enc: 'UTF8', addr: '127.0.0.1' });
      const [socket] = await query<{ setting: string }>(
        postgres.url,
        `SELECT setting FROM pg_settings WHERE name = 'unix_socket_directories'`,
      );
      expect(socket?.setting).toBe('');
    } finally {
      await postgres.stop();
    }
  });

  it('keeps tables and rows across a restart with the same state directory', async () => {
    const first = await startPostgres({ stateDir });
    await query(first.url, 'CREATE TABLE kept (id int PRIMARY KEY, note text)');
    await query(first.url, 'INSERT INTO kept VALUES ($1, $2)', [1, '李雷 was here']);
    await first.stop();

    const second = await startPostgres({ stateDir });
    try {
      expect(await query(second.url, 'SELECT id, note FROM kept')).toEqual([
        { id: 1, note: '李雷 was here' },
      ]);
    } finally {
      await second.stop();
    }
  });

  it('stops with a fast shutdown that leaves no server process and no postmaster.pid', async () => {
    const postgres = await startPostgres({ stateDir });
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    client.on('error', () => {});
    // An open client session must not hold up stop() (a smart shutdown would wait for it).
    await postgres.stop();
    expect(isRunning(postgres.pid)).toBe(false);
    expect(await exists(join(stateDir, 'postgres', 'data', 'postmaster.pid'))).toBe(false);
    await client.end().catch(() => {});
  });

  it('keeps the cluster private to the server user (mode 0700)', async () => {
    expect((await stat(join(stateDir, 'postgres', 'data'))).mode & 0o777).toBe(0o700);
  });
});

describe('local PostgreSQL process lifetime', () => {
  const owner = fileURLToPath(new URL('./fixtures/postgres-owner.ts', import.meta.url));
  let stateDir: string;

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'dsar-postgres-owner-'));
  });

  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)(
    'ends the server when the Node process that started it receives %s',
    async (signal) => {
      const child = runTypeScript(owner, [stateDir]);
      const { pid } = await firstJsonLine<{ pid: number }>(child);
      expect(isRunning(pid)).toBe(true);
      child.kill(signal);
      await exited(child);
      expect(await waitUntilGone(pid)).toBe(true);
    },
  );

  it.runIf(process.getuid?.() === 0)(
    'explains that the server user cannot reach a state directory inside a private one',
    async () => {
      const privateDir = join(stateDir, 'private');
      await mkdir(join(privateDir, 'state'), { recursive: true, mode: 0o700 });
      await chmod(privateDir, 0o700);
      await expect(startPostgres({ stateDir: join(privateDir, 'state') })).rejects.toThrow(
        /cannot enter .*private/,
      );
    },
  );

  it('explains how to install PostgreSQL when the server binaries are missing', async () => {
    const locate = locatePostgresBinaries(join(stateDir, 'no-postgresql-here'));
    await expect(locate).rejects.toBeInstanceOf(PostgresStartError);
    await expect(locate).rejects.toThrow(/apt-get install postgresql/);
  });
});
