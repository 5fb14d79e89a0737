/**
 * The one HTTP client: JSON in and out, the bearer token attached, an expired access token
 * refreshed once (single flight, the refresh token rotates), and every failure turned into an
 * ApiError carrying the server's { code, message, details }.
 */
import type { TokenPair } from '@libs/identity/src/views';
import type { AnswerOf, BodyOf, FileAnswer, QueryOf } from '@libs/platform/src/http/contract';
import { saveBlob } from '../textfile';
import type { ApiRoutes } from './routes';

export interface FieldError {
  field: string;
  messages: string[];
}

export interface RowError {
  row: number;
  column: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /**
   * Messages by field: VALIDATION_FAILED's details, or a domain error's `details.fields` (the same
   * {field, messages} rows, e.g. PARTY_REVIEW_COUNTS_INVALID naming the figure out of range).
   */
  get fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    const domainFields = (this.details as { fields?: unknown } | undefined)?.fields;
    const rows =
      this.code === 'VALIDATION_FAILED' && Array.isArray(this.details) ? this.details : Array.isArray(domainFields) ? domainFields : [];
    for (const f of rows as FieldError[]) out[f.field] = f.messages.join('；');
    return out;
  }

  /** Row-by-row import errors (CSV_ROWS_INVALID and the like). */
  get rowErrors(): RowError[] {
    const d = this.details as { errors?: RowError[] } | undefined;
    return Array.isArray(d?.errors) ? d.errors : [];
  }
}

export type { TokenPair } from '@libs/identity/src/views';

export type { Page } from '@libs/platform/src/http/contract';

const STORAGE_KEY = 'sangong.tokens';
let tokens: TokenPair | null = readTokens();
let refreshing: Promise<boolean> | null = null;
const sessionEndedListeners: (() => void)[] = [];

function readTokens(): TokenPair | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as TokenPair) : null;
  } catch {
    return null;
  }
}

export function setTokens(t: TokenPair | null): void {
  tokens = t;
  if (t) localStorage.setItem(STORAGE_KEY, JSON.stringify(t));
  else localStorage.removeItem(STORAGE_KEY);
}

export const hasTokens = (): boolean => tokens !== null;

/** Called when the session cannot be renewed: the app goes back to the login page. */
export function onSessionEnded(fn: () => void): void {
  sessionEndedListeners.push(fn);
}

async function refreshOnce(): Promise<boolean> {
  if (!tokens) return false;
  refreshing ??= (async () => {
    try {
      const res = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: tokens.refreshToken }),
      });
      if (!res.ok) {
        setTokens(null);
        return false;
      }
      setTokens((await res.json()) as TokenPair);
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

async function send(method: string, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (tokens) headers.authorization = `Bearer ${tokens.accessToken}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试');
  }
}

async function toError(res: Response): Promise<ApiError> {
  let body: { code?: string; message?: string; details?: unknown } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON (a proxy's error page)
  }
  return new ApiError(res.status, body.code ?? `HTTP_${res.status}`, body.message ?? `请求失败（${res.status}）`, body.details);
}

/** A request that answers the raw Response (for file downloads); errors still become ApiError. */
export async function requestRaw(method: string, path: string, body?: unknown): Promise<Response> {
  let res = await send(method, path, body);
  if (res.status === 401 && tokens && !path.startsWith('/api/v1/auth/')) {
    const err = await toError(res.clone());
    if (err.code === 'TOKEN_EXPIRED' && (await refreshOnce())) res = await send(method, path, body);
  }
  if (!res.ok) {
    const err = await toError(res);
    if (res.status === 401 && !path.startsWith('/api/v1/auth/login')) {
      setTokens(null);
      sessionEndedListeners.forEach((fn) => fn());
    }
    throw err;
  }
  return res;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await requestRaw(method, path, body);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Downloads a file the API produces (Excel, CSV) under the name the server gives. */
export async function download(path: string, fallbackName: string, query?: Query): Promise<void> {
  const res = await requestRaw('GET', withQuery(path, query));
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd) ?? /filename="?([^";]+)"?/i.exec(cd);
  saveBlob(m ? decodeURIComponent(m[1]) : fallbackName, blob);
}

// ---- The typed client: every call names a route of the API's contract (libs/*/src/routes.ts). ----

type Routes = ApiRoutes;
export type RouteKey = Extract<keyof Routes, string>;
type PathOf<K extends string> = K extends `${string} ${infer P}` ? P : never;
type ParamNames<P extends string> = P extends `${string}:${infer N}/${infer Rest}`
  ? N | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer N}`
    ? N
    : never;
type Params<K extends string> = [ParamNames<PathOf<K>>] extends [never]
  ? { params?: never }
  : { params: Record<ParamNames<PathOf<K>>, string> };
type QueryArg<R> = [QueryOf<R>] extends [never]
  ? { query?: never }
  : { query?: Partial<Record<keyof QueryOf<R>, Query[string]>> & QueryOf<R> };
type BodyArg<R> = [BodyOf<R>] extends [never] ? { body?: never } : { body: BodyOf<R> };
export type CallArgs<K extends RouteKey> = Params<K> & QueryArg<Routes[K]> & BodyArg<Routes[K]>;
type NeedsArgs<K extends RouteKey> = [ParamNames<PathOf<K>>] extends [never] ? ([BodyOf<Routes[K]>] extends [never] ? false : true) : true;

/** The concrete path of a route: each `:name` replaced by its (encoded) parameter. */
export function pathOf(key: string, params?: Record<string, string>): string {
  const path = key.slice(key.indexOf(' ') + 1);
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params?.[name];
    if (v === undefined) throw new Error(`route ${key}: parameter ${name} is missing`);
    return encodeURIComponent(v);
  });
}

/** Calls a route of the contract; the answer's type is the route's. */
export function call<K extends RouteKey>(
  key: K,
  ...args: NeedsArgs<K> extends true ? [CallArgs<K>] : [CallArgs<K>?]
): Promise<AnswerOf<Routes[K]>> {
  const a = (args[0] ?? {}) as { params?: Record<string, string>; query?: Query; body?: unknown };
  const method = key.slice(0, key.indexOf(' '));
  const path = withQuery(pathOf(key, a.params), a.query);
  return request<AnswerOf<Routes[K]>>(method, path, method === 'GET' || method === 'DELETE' ? undefined : (a.body ?? {}));
}

/** Downloads a file route of the contract (Excel, CSV) under the name the server gives. */
export function downloadRoute<K extends RouteKey>(
  key: AnswerOf<Routes[K]> extends FileAnswer ? K : never,
  fallbackName: string,
  args: Params<K> & QueryArg<Routes[K]> = {} as Params<K> & QueryArg<Routes[K]>,
): Promise<void> {
  const a = args as { params?: Record<string, string>; query?: Query };
  return download(pathOf(key, a.params), fallbackName, a.query);
}
