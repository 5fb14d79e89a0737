import { CHANNEL_NAMES, MEETING_ACTION_NAMES, ONSITE_STATE_NAMES } from '@libs/deliberation/src/names';
import type { MeetingView, PaperTotals, SignInRow, VoteParts } from '@libs/deliberation/src/views';

/** Names for the meeting's codes, widened to string keys for lookups. */
export const CHANNELS: Record<string, string> = CHANNEL_NAMES;
export const MEETING_ACTIONS: Record<string, string> = MEETING_ACTION_NAMES;
export const ONSITE_STATES: Record<string, string> = ONSITE_STATE_NAMES;

export type { MeetingView, PaperTotals, SignInRow, VoteParts };

/** A tag's colour for how an elector has taken part. */
export function channelTag(took: SignInRow['took']): 'success' | 'primary' | 'warning' | 'default' {
  switch (took) {
    case 'onsite':
      return 'success';
    case 'online':
      return 'primary';
    case 'assisted':
      return 'warning';
    case null:
      return 'default';
  }
}

/** 线上 N 人（其中代投 K 人）、现场 M 人 — the parts of a vote as the resolution states them. */
export function partsText(p: VoteParts): string {
  const online = `线上 ${p.online} 人${p.assisted ? `（其中代投 ${p.assisted} 人）` : ''}`;
  return `${online}、现场 ${p.onsite} 人`;
}

/** The paper totals in one line, as the 计票单 reads. */
export function paperText(t: PaperTotals): string {
  const reps = t.representativesYes !== null ? `；其中村民代表赞成 ${t.representativesYes}` : '';
  return `发出 ${t.issued} 张，收回 ${t.returned} 张：赞成 ${t.yes}，反对 ${t.no}，弃权 ${t.abstain}，废票 ${t.spoiled}${reps}`;
}

/** A person line: the name, then what tells namesakes apart. */
export function electorLabel(r: SignInRow): string {
  const parts: string[] = [];
  if (r.householdNo) parts.push(`户号 ${r.householdNo}`);
  if (r.idLast4) parts.push(`身份证尾号 ${r.idLast4}`);
  if (r.helperName) parts.push(`联系人 ${r.helperName}`);
  return parts.join(' · ');
}

/**
 * A photo of the 计票单 made small enough to send: at most `maxSide` px on its longer side, re-encoded as
 * JPEG. A phone camera's 12-megapixel photo is 4–6 MB; the server takes at most 2 MB.
 */
export async function downscaleToJpeg(file: Blob, maxSide = 1600, quality = 0.85): Promise<{ base64: string; bytes: number }> {
  const bitmap = await createImageBitmap(file);
  try {
    const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('canvas 2d context unavailable');
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const dataUrl = canvas.toDataURL('image/jpeg', quality);
    const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
    return { base64, bytes: Math.floor((base64.length * 3) / 4) };
  } finally {
    bitmap.close();
  }
}

/** The actions the caller may not take now, each with the server's reason. */
export function blockedReasons(m: MeetingView): { action: string; name: string; reason: string }[] {
  return Object.entries(m.blocked)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')
    .map(([action, reason]) => ({ action, name: MEETING_ACTIONS[action] ?? action, reason }));
}
