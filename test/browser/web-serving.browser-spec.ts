import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { projectRoot } from '#platform';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt } from './support/browser.js';

let t: TestApp;
beforeAll(async () => {
  assertWebBuilt();
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const DIST = process.env.WEB_DIST_DIR ?? path.join(projectRoot(), 'apps/web/dist');

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A plain HTTP GET that leaves the body as sent (fetch would decompress it and hide the encoding). */
function rawGet(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

function decoded(r: Raw): Buffer {
  const encoding = r.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(r.body);
  if (encoding === 'gzip') return gunzipSync(r.body);
  return r.body;
}

describe('the built UI as served', () => {
  it('sends hashed assets precompressed and cached for a year, pages revalidated, unknown assets 404', async () => {
    const index = readFileSync(path.join(DIST, 'index.html'));
    const entry = /src="(\/assets\/index-[^"]+\.js)"/.exec(index.toString())![1];
    const entryFile = readFileSync(path.join(DIST, entry));

    const br = await rawGet(t.baseUrl + entry, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBe(readFileSync(path.join(DIST, `${entry}.br`)).length);
    expect(br.body.length).toBeLessThan(entryFile.length / 2);
    expect(decoded(br).equals(entryFile)).toBe(true);

    const gz = await rawGet(t.baseUrl + entry, { 'accept-encoding': 'gzip' });
    expect([gz.headers['content-encoding'], decoded(gz).equals(entryFile)]).toEqual(['gzip', true]);
    const plain = await rawGet(t.baseUrl + entry);
    expect([plain.headers['content-encoding'], plain.body.length]).toEqual([undefined, entryFile.length]);

    for (const page of ['/', '/login', '/proposals/123']) {
      const r = await rawGet(t.baseUrl + page, { 'accept-encoding': 'br' });
      expect([page, r.status, r.headers['cache-control'], r.headers['content-type']]).toEqual([
        page,
        200,
        'no-cache',
        expect.stringContaining('text/html'),
      ]);
      expect([page, decoded(r).equals(index)]).toEqual([page, true]);
        // Asked again with its ETag: 304, nothing sent.
      const again = await rawGet(t.baseUrl + page, { 'accept-encoding': 'br', 'if-none-match': String(r.headers.etag) });
      expect([page, again.status, again.body.length]).toEqual([page, 304, 0]);
    }

    // A chunk name of an older build: a 404, not the page in place of a script.
    const gone = await rawGet(`${t.baseUrl}/assets/ProposalListView-0ld0ld0l.js`);
    expect(gone.status).toBe(404);
    expect(gone.headers['content-type']).not.toMatch(/text\/html/);
  });
});
