import type { PartyInput } from './labels';

/** Drops empty optional fields so the server's validators only see what was typed. */
export function partyPayload(p: PartyInput): Record<string, unknown> {
  const out: Record<string, unknown> = { role: p.role, kind: p.kind, name: p.name.trim() };
  if (p.kind === 'person' && p.idNumber.trim()) out.idNumber = p.idNumber.trim();
  if (p.kind === 'organization' && p.creditCode.trim()) out.creditCode = p.creditCode.trim();
  if (p.phone.trim()) out.phone = p.phone.trim();
  if (p.address.trim()) out.address = p.address.trim();
  return out;
}
