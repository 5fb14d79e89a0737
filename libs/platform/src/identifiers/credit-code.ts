/** GB 32100 unified social credit code: 18 characters, check character last. */
export const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeProblem = 'length' | 'charset' | 'checksum';

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31];
}

export interface CreditCodeParts {
  authority: string;
  type: string;
  divisionCode: string;
}

export function checkCreditCode(raw: string): ({ ok: true } & CreditCodeParts) | { ok: false; problem: CreditCodeProblem } {
  const code = raw.trim().toUpperCase();
  if (code.length !== 18) return { ok: false, problem: 'length' };
  for (const ch of code) if (!CREDIT_ALPHABET.includes(ch)) return { ok: false, problem: 'charset' };
  if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return { ok: false, problem: 'checksum' };
  return { ok: true, authority: code[0], type: code[1], divisionCode: code.slice(2, 8) };
}
