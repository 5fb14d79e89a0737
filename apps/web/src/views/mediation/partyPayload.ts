import type { PartyRole } from '@libs/mediation/src/names';
import type { PartyBody } from '@libs/mediation/src/routes';

/** A party as the intake form edits it: every field a string, empty when not given. */
export interface PartyInput {
  role: PartyRole;
  kind: 'person' | 'organization';
  name: string;
  idNumber: string;
  phone: string;
  address: string;
  creditCode: string;
}

/** Drops empty optional fields so the server's validators only see what was typed. */
export function partyPayload(p: PartyInput): PartyBody {
  const out: PartyBody = { role: p.role, kind: p.kind, name: p.name.trim() };
  if (p.kind === 'person' && p.idNumber.trim()) out.idNumber = p.idNumber.trim();
  if (p.kind === 'organization' && p.creditCode.trim()) out.creditCode = p.creditCode.trim();
  if (p.phone.trim()) out.phone = p.phone.trim();
  if (p.address.trim()) out.address = p.address.trim();
  return out;
}
