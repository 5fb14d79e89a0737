import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Encrypts personal identifiers at rest (AES-256-GCM, random nonce) and derives a keyed hash
 * (HMAC-SHA-256) for equality lookups and UNIQUE constraints without storing the clear value.
 */
export class PiiCipher {
  constructor(
    private readonly encKey: Buffer,
    private readonly hashKey: Buffer,
  ) {}

  encrypt(plain: string): Buffer {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.encKey, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([Buffer.from([1]), iv, c.getAuthTag(), body]);
  }

  decrypt(blob: Buffer): string {
    if (blob[0] !== 1) throw new Error('unknown PII cipher version');
    const iv = blob.subarray(1, 13);
    const tag = blob.subarray(13, 29);
    const d = createDecipheriv('aes-256-gcm', this.encKey, iv);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(blob.subarray(29)), d.final()]).toString('utf8');
  }

  hash(kind: 'id' | 'phone', value: string): Buffer {
    return createHmac('sha256', this.hashKey).update(`${kind}:${value}`).digest();
  }
}
