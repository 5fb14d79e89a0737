import argon2 from 'argon2';
import { IdentityErrors } from './identity.errors.js';
import { assessPassword, type PersonFacts } from './password-strength.js';

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Refuses a password of the wrong length (PASSWORD_LENGTH) or one too easy to guess (PASSWORD_TOO_WEAK, reasons in details). */
export function checkPasswordPolicy(password: string, facts: PersonFacts = {}): void {
  const verdict = assessPassword(password, facts);
  if (verdict.ok) return;
  if (verdict.problem === 'length') throw IdentityErrors.passwordLength();
  throw IdentityErrors.passwordTooWeak(verdict.reasons);
}

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, ARGON2_OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Verified against when the phone is unknown or has no password yet, so a miss takes as long as a wrong password. */
let dummyHash: Promise<string> | null = null;
export const dummyPasswordHash = (): Promise<string> => (dummyHash ??= hashPassword('sangong-timing-equalizer'));
