import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { NOTICE_PRINT_STYLE } from '#deliberation';
import { MEDIATION_PRINT_STYLE } from '#mediation';
import { projectRoot } from '#platform';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { assertWebBuilt, openBrowser, PHONE, type BrowserSession } from './support/browser.js';

let t: TestApp;
let b: BrowserSession | undefined;
beforeAll(async () => {
  assertWebBuilt();
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});
afterEach(async () => {
  await b?.close();
  b = undefined;
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
      expect(r.headers['content-security-policy']).toContain("script-src 'self';");
      // Asked again with its ETag: 304, nothing sent.
      const again = await rawGet(t.baseUrl + page, { 'accept-encoding': 'br', 'if-none-match': String(r.headers.etag) });
      expect([page, again.status, again.body.length]).toEqual([page, 304, 0]);
    }

    // A chunk name of an older build: a 404, not the page in place of a script.
    const gone = await rawGet(`${t.baseUrl}/assets/ProposalListView-0ld0ld0l.js`);
    expect(gone.status).toBe(404);
    expect(gone.headers['content-type']).not.toMatch(/text\/html/);
    expect(gone.headers['cache-control']).toBe('no-store');
  });

  it('the CSP is enforced and every violation is caught: an injected inline script and style are blocked and reported', async () => {
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    await page.goto('/login');
    await page.locator('[data-test=login-submit]').waitFor();
    expect(b.problems).toEqual([]);
    // page.evaluate goes through DevTools, outside the CSP; the elements it adds are the page's own.
    await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      const st = document.createElement('style');
      st.textContent = 'body { background: red; }';
      document.head.append(st);
    })()`);
    await page.waitForTimeout(300);
    expect(await page.evaluate('window.__inlineRan === true')).toBe(false);
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).not.toBe('rgb(255, 0, 0)');
    // Both channels: the document's securitypolicyviolation event and Chromium's console line.
    expect(b.problems.some((p) => p.startsWith('csp: script-src-elem blocked inline on '))).toBe(true);
    expect(b.problems.some((p) => p.startsWith('csp: style-src-elem blocked inline on '))).toBe(true);
    expect(b.problems.some((p) => p.startsWith('console (error): Executing inline script violates'))).toBe(true);
    expect(b.problems.some((p) => p.startsWith('console (error): Applying inline style violates'))).toBe(true);
  });

  it('a printable page opened from memory keeps its stylesheet under the inherited policy; any other inline style is refused', async () => {
    b = await openBrowser(t.baseUrl, PHONE);
    const { page, context } = b;
    await page.goto('/login');
    await page.locator('[data-test=login-submit]').waitFor();
    // As NoticeDetailView and CaseDetailView do: the server's HTML as a blob: URL in a new window, which
    // inherits this page's CSP.
    const open = async (css: string) => {
      const [popup] = await Promise.all([
        context.waitForEvent('page'),
        page.evaluate(
          `window.open(URL.createObjectURL(new Blob([${JSON.stringify(`<!DOCTYPE html><html><head><style>${css}</style></head><body><p>公示</p></body></html>`)}], { type: 'text/html' })), '_blank')`,
        ),
      ]);
      await popup.waitForLoadState();
      const indent = await popup.evaluate<string>(`getComputedStyle(document.querySelector('p')).textIndent`);
      await popup.close();
      return indent;
    };
    expect(await open(NOTICE_PRINT_STYLE)).not.toBe('0px');
    expect(await open(MEDIATION_PRINT_STYLE)).not.toBe('0px');
    expect(b.problems).toEqual([]);
    expect(await open(`${NOTICE_PRINT_STYLE} `)).toBe('0px');
    // In a blob: document the init script's listener may come too late; Chromium's console line does not.
    expect(b.problems).toEqual([expect.stringMatching(/^console \(error\): Applying inline style violates/)]);
  });

  it('the API documentation works under its own policy', async () => {
    b = await openBrowser(t.baseUrl, PHONE);
    const { page } = b;
    // Swagger UI's script is 1.4 MB: on a busy machine its load event takes a while.
    const res = await page.goto('/api/docs', { waitUntil: 'commit' });
    expect(res?.headers()['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    await page.locator('.swagger-ui .info .title').filter({ hasText: '三共 Sangong API' }).waitFor({ timeout: 60_000 });
    await page.locator('.opblock').first().waitFor();
    expect(b.problems).toEqual([]);
  });
});
