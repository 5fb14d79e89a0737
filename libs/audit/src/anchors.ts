import { appendFile, readFile } from 'node:fs/promises';

/**
 * A published head of the audit chain: the hash of the row with this `seq`. Kept outside the database
 * (a file an operator ships elsewhere, a printed notice, another system), it lets verify tell a chain
 * rewritten from some row onwards (each hash recomputed, so the chain alone looks whole) from the
 * chain that was published.
 */
export interface AuditAnchor {
  seq: string;
  /** sha256, 64 lowercase hex digits. */
  hash: string;
  /** When the head was taken (ISO 8601); informational. */
  at?: string;
}

export const ANCHOR_HASH = /^[0-9a-f]{64}$/;
export const ANCHOR_SEQ = /^[1-9][0-9]{0,18}$/;

export class AnchorFileError extends Error {}

/** One JSON object a line, as `appendAnchor` writes them; blank lines are skipped, anything else is an error naming the line. */
export function parseAnchors(text: string): AuditAnchor[] {
  const out: AuditAnchor[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new AnchorFileError(`第 ${i + 1} 行不是 JSON`);
    }
    const a = v as Partial<AuditAnchor> | null;
    if (!a || typeof a.seq !== 'string' || !ANCHOR_SEQ.test(a.seq) || typeof a.hash !== 'string' || !ANCHOR_HASH.test(a.hash)) {
      throw new AnchorFileError(`第 ${i + 1} 行应为 {"seq":"正整数","hash":"64 位小写十六进制"}`);
    }
    out.push({ seq: a.seq, hash: a.hash, ...(typeof a.at === 'string' ? { at: a.at } : {}) });
  });
  return out;
}

/** The anchors of a file; none when it does not exist yet. */
export async function readAnchors(file: string): Promise<AuditAnchor[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return parseAnchors(text);
}

/** Appends one line (O_APPEND: lines of several processes do not interleave). */
export async function appendAnchor(file: string, anchor: AuditAnchor): Promise<void> {
  await appendFile(file, JSON.stringify(anchor) + '\n', { encoding: 'utf8', flag: 'a' });
}
