import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/**
 * The security headers every response carries: what helmet sends by default, as one frozen list
 * set by one synchronous hook, with the request id. helmet's middleware chain cost about 3 % of the
 * web process's time per request under load (docs/performance.md).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  // The same as the CSP's frame-ancestors 'none', for the older phone browsers that only know this header.
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
  // Nothing in the UI uses these. A photo for an attachment comes through a file input (the phone's own
  // camera or gallery app), which needs no camera permission.
  'permissions-policy': [
    'accelerometer=()',
    'autoplay=()',
    'camera=()',
    'display-capture=()',
    'encrypted-media=()',
    'geolocation=()',
    'gyroscope=()',
    'hid=()',
    'idle-detection=()',
    'magnetometer=()',
    'microphone=()',
    'midi=()',
    'payment=()',
    'publickey-credentials-get=()',
    'screen-wake-lock=()',
    'serial=()',
    'usb=()',
    'xr-spatial-tracking=()',
  ].join(', '),
});

export interface ContentSecurityOptions {
  /**
   * The exact text of `<style>` elements the API itself renders into pages the UI opens from memory
   * (the printable A4 pages): a blob: document inherits the UI's policy, so each is allowed by its hash.
   */
  inlineStyles?: readonly string[];
}

/** 'sha256-…' of a `<style>` element's text, as CSP matches it. */
export function styleHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The three policies, chosen by path:
 * - `app`, the web UI (index.html and everything else that is not the API): scripts and styles only
 *   from this origin, no inline script, no plugins, not framed. Vue's `:style` bindings and Vant's
 *   inline styles are set through the CSSOM, which style-src does not govern, so no 'unsafe-inline'.
 * - `api`, JSON, files and printable pages under /api and /health: nothing may load, should one ever
 *   be opened as a document.
 * - `docs`, the Swagger UI at /api/docs: its page carries an inline `<style>` and inline style attributes.
 */
export function contentSecurityPolicies(opts: ContentSecurityOptions = {}): { app: string; api: string; docs: string } {
  const hashes = (opts.inlineStyles ?? []).map(styleHash);
  const common = ["object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"];
  return {
    app: [
      "default-src 'self'",
      "script-src 'self'",
      ["style-src 'self'", ...hashes].join(' '),
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "connect-src 'self'",
      ...common,
    ].join('; '),
    api: ["default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"].join('; '),
    docs: [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      ...common,
    ].join('; '),
  };
}

/** Which policy a request path gets (the query string is ignored). */
export function policyFor(url: string): 'app' | 'api' | 'docs' {
  const q = url.indexOf('?');
  const p = q === -1 ? url : url.slice(0, q);
  if (p === '/api/docs' || p.startsWith('/api/docs/')) return 'docs';
  if (p === '/api' || p.startsWith('/api/') || p === '/health') return 'api';
  return 'app';
}

/**
 * Sets the headers on every response before its route runs. Every response starts as
 * `Cache-Control: no-store` (API answers carry personal data, full ID numbers after a reveal, exports);
 * only the web's static files say otherwise, deliberately (apps/api/src/web-static.ts).
 */
export function addSecurityHeaders(fastify: FastifyInstance, opts: ContentSecurityOptions = {}): void {
  const csp = contentSecurityPolicies(opts);
  const headers = {
    app: Object.freeze({ ...SECURITY_HEADERS, 'content-security-policy': csp.app, 'cache-control': 'no-store' }),
    api: Object.freeze({ ...SECURITY_HEADERS, 'content-security-policy': csp.api, 'cache-control': 'no-store' }),
    docs: Object.freeze({ ...SECURITY_HEADERS, 'content-security-policy': csp.docs, 'cache-control': 'no-store' }),
  };
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.headers(headers[policyFor(req.url)]);
    reply.header('x-request-id', req.id);
    done();
  });
}
