// CPU per request of the web UI's entry script, served four ways by Fastify + @fastify/static:
//   precompressed  the .br copy written at build time, sent as it is (what apps/api/src/web-static.ts does)
//   runtime-br     compressed per request, brotli quality 4 (@fastify/compress's default)
//   runtime-gzip   compressed per request, gzip level 6 (zlib's default, @fastify/compress's too)
//   identity       not compressed at all (as before issue 10)
// Each server runs in a child process; this process sends the requests (keep-alive, BENCH_CONCURRENCY at
// once) and reads the child's CPU time (process.cpuUsage) before and after BENCH_REQUESTS requests.
// Needs the built UI: `npm run build:web && node bench/static-compression-bench.mjs`.
import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'apps/web/dist');
const MODES = ['precompressed', 'runtime-br', 'runtime-gzip', 'identity'];

if (process.argv[2] === '--serve') await serve(process.argv[3]);
else await main();

async function serve(mode) {
  const { default: Fastify } = await import('fastify');
  const { default: fastifyStatic } = await import('@fastify/static');
  const app = Fastify({ logger: false });
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    wildcard: false,
    preCompressed: mode === 'precompressed',
    globIgnore: ['**/*.br', '**/*.gz'],
  });
  if (mode === 'runtime-br' || mode === 'runtime-gzip') {
    // What a runtime compression plugin does: the file stream piped through zlib for every response.
    app.addHook('onSend', async (_req, reply, payload) => {
      if (!payload || typeof payload.pipe !== 'function') return payload;
      reply.removeHeader('content-length');
      reply.header('content-encoding', mode === 'runtime-br' ? 'br' : 'gzip');
      reply.header('vary', 'accept-encoding');
      const z =
        mode === 'runtime-br'
          ? zlib.createBrotliCompress({
              params: { [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_QUALITY]: 4 },
            })
          : zlib.createGzip({ level: 6 });
      return payload.pipe(z);
    });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.on('message', (m) => {
    if (m === 'cpu') process.send(process.cpuUsage());
  });
  process.send({ port: app.server.address().port });
}

function request(agent, port, file) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: file, agent, headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
        let bytes = 0;
        res.on('data', (c) => (bytes += c.length));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve({ bytes, encoding: res.headers['content-encoding'] ?? 'identity' })
            : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      })
      .on('error', reject);
  });
}

async function round(agent, port, file, n, concurrency) {
  let next = 0;
  let last;
  const worker = async () => {
    while (next++ < n) last = await request(agent, port, file);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return last;
}

async function main() {
  if (!existsSync(path.join(dist, 'index.html'))) throw new Error('apps/web/dist is missing: run "npm run build:web" first');
  const entry = /src="(\/assets\/index-[^"]+\.js)"/.exec(readFileSync(path.join(dist, 'index.html'), 'utf8'))[1];
  const requests = Number(process.env.BENCH_REQUESTS ?? 2000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
  const size = readFileSync(path.join(dist, entry)).length;
  console.log(`entry script ${entry}: ${size} bytes; ${requests} requests per mode, ${concurrency} at a time`);
  const results = [];
  for (const mode of MODES) {
    const child = fork(fileURLToPath(import.meta.url), ['--serve', mode], { stdio: 'inherit' });
    const { port } = await new Promise((resolve) => child.once('message', resolve));
    const cpu = () =>
      new Promise((resolve) => {
        child.once('message', resolve);
        child.send('cpu');
      });
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    await round(agent, port, entry, 200, concurrency);
    const before = await cpu();
    const started = process.hrtime.bigint();
    const last = await round(agent, port, entry, requests, concurrency);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = await cpu();
    const cpuMs = (after.user - before.user + after.system - before.system) / 1000;
    results.push({
      mode,
      encoding: last.encoding,
      bytesPerResponse: last.bytes,
      serverCpuMsPerRequest: Number((cpuMs / requests).toFixed(3)),
      requestsPerSecond: Math.round(requests / seconds),
    });
    agent.destroy();
    child.kill();
  }
  console.table(results);
}
