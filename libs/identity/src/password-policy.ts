import { readFileSync } from 'node:fs';
import path from 'node:path';
import argon2 from 'argon2';
import { projectRoot } from '#platform';
import { IdentityErrors } from './identity.errors.js';

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

let common: Set<string> | null = null;
function commonPasswords(): Set<string> {
  if (!common) {
    const file = path.join(projectRoot(), 'libs/identity/src/data/common-passwords.txt');
    common = new Set(
      readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim().toLowerCase())
        .filter(Boolean),
    );
  }
  return common;
}

export function checkPasswordPolicy(password: string): void {
  const len = [...password].length;
  if (len < 8 || len > 64) throw IdentityErrors.passwordLength();
  if (commonPasswords().has(password.toLowerCase())) throw IdentityErrors.passwordCommon();
}

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, ARGON2_OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Verified against when the phone is unknown, so a miss takes as long as a wrong password. */
let dummyHash: Promise<string> | null = null;
export const dummyPasswordHash = (): Promise<string> => (dummyHash ??= hashPassword('sangong-timing-equalizer'));
