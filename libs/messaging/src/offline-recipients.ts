import type { OfflinePerson } from '#identity';

/** Who gets an SMS about an elector: the elector, or the helper who relays it to them. */
export interface SmsRecipient {
  personId: string;
  aboutPersonId: string;
  electorName: string;
  relay: boolean;
}

/**
 * Of the offline electors (no active account, or flagged 无智能手机), those with a phone get the SMS
 * themselves; one without a phone whose register names a helper with a phone is reached through the
 * helper; the rest are reached only by the printed notice. Pure.
 */
export function smsRecipients(offline: readonly OfflinePerson[]): SmsRecipient[] {
  const out: SmsRecipient[] = [];
  for (const p of offline) {
    if (p.hasPhone) out.push({ personId: p.personId, aboutPersonId: p.personId, electorName: p.name, relay: false });
    else if (p.helperId && p.helperHasPhone)
      out.push({ personId: p.helperId, aboutPersonId: p.personId, electorName: p.name, relay: true });
  }
  return out;
}
