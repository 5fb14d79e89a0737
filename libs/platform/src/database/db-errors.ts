/** Classifies a PostgreSQL / driver error. Used by the exception filter and by services. */
function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  if (typeof e.driverError?.code === 'string') return e.driverError.code;
  return typeof e.code === 'string' ? e.code : undefined;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

export function isDatabaseUnavailable(err: unknown): boolean {
  const code = codeOf(err);
  if (code && CONNECTION_CODES.has(code)) return true;
  const msg = err instanceof Error ? err.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/.test(
    msg,
  );
}

export const isUniqueViolation = (err: unknown, constraint?: string): boolean => {
  if (codeOf(err) !== '23505') return false;
  if (!constraint) return true;
  const e = err as { constraint?: string; driverError?: { constraint?: string } };
  return (e.driverError?.constraint ?? e.constraint) === constraint;
};

export const isStatementTimeout = (err: unknown): boolean => codeOf(err) === '57014';
export const isSerializationFailure = (err: unknown): boolean => codeOf(err) === '40001' || codeOf(err) === '40P01';

/**
 * The database refused the data itself: a foreign key (`reference`), or a CHECK, NOT NULL, malformed
 * or out-of-range value, or a value too large for an index (`data`). The request's fault, so a 400,
 * but also a gap in validation at the edge, which the exception filter logs.
 */
export function dataRejectionOf(err: unknown): 'reference' | 'data' | undefined {
  const code = codeOf(err);
  if (code === undefined) return undefined;
  if (code === '23503') return 'reference';
  if (code === '23502' || code === '23514' || code === '54000' || /^22[0-9A-Z]{3}$/.test(code)) return 'data';
  return undefined;
}
