import { pathOf, requestRaw, type RouteKey } from '../../api/client';

/** Fetches a file route that needs the token (a printable page, an attachment) and opens it in a new tab from memory. */
export async function openFile(key: RouteKey, params: Record<string, string>): Promise<void> {
  const res = await requestRaw('GET', pathOf(key, params));
  const type = res.headers.get('content-type') ?? 'application/octet-stream';
  const url = URL.createObjectURL(new Blob([await res.arrayBuffer()], { type }));
  window.open(url, '_blank');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
