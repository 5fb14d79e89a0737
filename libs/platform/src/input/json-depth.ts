const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/**
 * Whether JSON text nests objects and arrays deeper than `max`, read from the raw bytes before any
 * parser or recursive walk sees it (class-transformer overflows the stack at a few thousand levels).
 * Malformed text is left to the parser. Strings are skipped with indexOf, so a large base64 upload
 * costs one memchr, not a loop over its bytes.
 */
export function jsonNestsDeeperThan(text: Uint8Array, max: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c === QUOTE) {
      // Jump to the closing quote: one not preceded by an odd number of backslashes.
      for (;;) {
        const close = text.indexOf(QUOTE, i + 1);
        if (close < 0) return false;
        let slashes = 0;
        for (let j = close - 1; text[j] === BACKSLASH; j--) slashes++;
        i = close;
        if (slashes % 2 === 0) break;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}
