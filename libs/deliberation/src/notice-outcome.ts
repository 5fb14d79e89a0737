import { type BallotType, BODY_NAMES, type Outcome, THRESHOLDS, type VotingBody } from './names.js';
import type { NoticeOutcome, PaperTotals, VoteParts } from './views.js';

const isIn = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);
const OUTCOMES: readonly Outcome[] = ['passed', 'rejected', 'no_quorum'];
const BALLOT_TYPES: readonly BallotType[] = ['open', 'secret'];
const VOTING_BODIES: readonly VotingBody[] = [
  'villagers_meeting',
  'representatives_meeting',
  'members_assembly',
  'members_representatives_assembly',
  'party_meeting',
];

/**
 * The tally stored on a resolution notice (publishResolution writes it as a NoticeOutcome), read
 * back with its fields checked; null for an implementation report.
 */
export function noticeOutcomeOf(v: unknown): NoticeOutcome | null {
  if (typeof v !== 'object' || v === null) return null;
  const o: Record<string, unknown> = { ...v };
  const n = (k: string) => (typeof o[k] === 'number' ? o[k] : 0);
  const nullable = (k: string) => (typeof o[k] === 'number' ? o[k] : null);
  if (!isIn(OUTCOMES, o.outcome) || !isIn(VOTING_BODIES, o.body) || !isIn(BALLOT_TYPES, o.ballotType)) return null;
  const out: NoticeOutcome = {
    outcome: o.outcome,
    body: o.body,
    bodyName: typeof o.bodyName === 'string' ? o.bodyName : BODY_NAMES[o.body],
    ballotType: o.ballotType,
    electorate: n('electorate'),
    households: n('households'),
    participants: n('participants'),
    householdsRepresented: n('householdsRepresented'),
    yes: n('yes'),
    no: n('no'),
    abstain: n('abstain'),
    rule: o.rule,
    talliedAt: typeof o.talliedAt === 'string' ? o.talliedAt : '',
  };
  // Notices published before stage 2 of issue 11 lack these.
  if ('threshold' in o) out.threshold = isIn(THRESHOLDS, o.threshold) ? o.threshold : null;
  if ('representatives' in o) out.representatives = nullable('representatives');
  if ('representativesYes' in o) out.representativesYes = nullable('representativesYes');
  // Notices published before issue 14 lack these (all their ballots were online).
  if (typeof o.spoiled === 'number') out.spoiled = o.spoiled;
  const parts = partsOf(o.parts);
  if (parts) out.parts = parts;
  return out;
}

function paperOf(v: unknown): PaperTotals | null {
  if (typeof v !== 'object' || v === null) return null;
  const o: Record<string, unknown> = { ...v };
  const n = (k: string) => (typeof o[k] === 'number' ? o[k] : 0);
  return {
    issued: n('issued'),
    returned: n('returned'),
    yes: n('yes'),
    no: n('no'),
    abstain: n('abstain'),
    spoiled: n('spoiled'),
    representativesYes: typeof o.representativesYes === 'number' ? o.representativesYes : null,
  };
}

function partsOf(v: unknown): VoteParts | null {
  if (typeof v !== 'object' || v === null) return null;
  const o: Record<string, unknown> = { ...v };
  const n = (k: string) => (typeof o[k] === 'number' ? o[k] : 0);
  return { online: n('online'), assisted: n('assisted'), onsite: n('onsite'), paper: paperOf(o.paper) };
}

/** 线上 N 人（其中代投 K 人）、现场 M 人, and a secret on-site ballot's paper figures: how each part took part. */
export function partsText(parts: VoteParts): string {
  const online = `线上 ${parts.online} 人${parts.assisted ? `（其中工作人员协助投票 ${parts.assisted} 人）` : ''}`;
  const onsite = `现场 ${parts.onsite} 人`;
  const p = parts.paper;
  const paper = p
    ? `；现场纸质选票发出 ${p.issued} 张，收回 ${p.returned} 张，其中赞成 ${p.yes}、反对 ${p.no}、弃权 ${p.abstain}、废票 ${p.spoiled}`
    : '';
  return `${online}、${onsite}${paper}`;
}
