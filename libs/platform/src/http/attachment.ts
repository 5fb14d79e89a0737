/**
 * A Content-Disposition value that downloads under a Chinese file name (RFC 6266 with RFC 5987's
 * `filename*`), with an ASCII `filename` for clients that read only that one.
 */
export function attachmentDisposition(name: string, asciiFallback: string): string {
  if (!/^[\x20-\x7e]+$/.test(asciiFallback) || /["\\]/.test(asciiFallback))
    throw new Error(`not a plain ASCII file name: ${asciiFallback}`);
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}
