import { Divisions1764370000001 } from './1764370000001-divisions.js';
import { Identity1764370000002 } from './1764370000002-identity.js';
import { AuditLog1764370000003 } from './1764370000003-audit-log.js';
import { Deliberation1764371000000 } from './1764371000000-deliberation.js';
import { Economy1764372000000 } from './1764372000000-economy.js';
import { Mediation1764373000000 } from './1764373000000-mediation.js';
import { SessionCacheNotify1764374000000 } from './1764374000000-session-cache-notify.js';
import { AuditSealFunction1764375000000 } from './1764375000000-audit-seal-function.js';
import { ProposalShortSearch1764376000000 } from './1764376000000-proposal-short-search.js';
import { BallotChangeMac1764377000000 } from './1764377000000-ballot-change-mac.js';
import { ProductionMarker1764380100000 } from './1764380100000-production-marker.js';
import { MatterRules1764381000000 } from './1764381000000-matter-rules.js';
import { BodiesAndSeats1764382000000 } from './1764382000000-bodies-and-seats.js';
import { NoticeJointAuthorisation1764383000000 } from './1764383000000-notice-joint-authorisation.js';
import { OldCreditCodes1764384000000 } from './1764384000000-old-credit-codes.js';
import { MediationStatute1764384100000 } from './1764384100000-mediation-statute.js';
import { ApprovalsAfterTheVote1764385000000 } from './1764385000000-approvals-after-the-vote.js';
import { Meetings1764386000000 } from './1764386000000-meetings.js';
import { Outbox1764386100000 } from './1764386100000-outbox.js';
import { RegisterOfflineIndexes1764386300000 } from './1764386300000-register-offline-indexes.js';
import { Openness1764387000000 } from './1764387000000-openness.js';
import { NotificationLink1764387000600 } from './1764387000600-notification-link.js';
import { OpennessReminders1764387000700 } from './1764387000700-openness-reminders.js';
import { ReadCacheNotify1764388000000 } from './1764388000000-read-cache-notify.js';
import { JobTick1764388100000 } from './1764388100000-job-tick.js';
import { PersonListOrder1764388200000 } from './1764388200000-person-list-order.js';
import { ProposalStatsIndexes1764388300000 } from './1764388300000-proposal-stats-indexes.js';
import { RollupReadCache1764388400000 } from './1764388400000-rollup-read-cache.js';
import { PartyProbation1764388450000 } from './1764388450000-party-probation.js';
import { PersonNameGrams1764388500000 } from './1764388500000-person-name-grams.js';
import { RegisterReadCache1764388600000 } from './1764388600000-register-read-cache.js';
import { VoterInboxReadCache1764388700000 } from './1764388700000-voter-inbox-read-cache.js';
import { AuditScopeStatistics1764388800000 } from './1764388800000-audit-scope-statistics.js';
import { AuditScopeInIndexes1764388900000 } from './1764388900000-audit-scope-in-indexes.js';

/** Every migration, in order (one a line). A new migration file is added here too. */
export const migrations = [
  Divisions1764370000001,
  Identity1764370000002,
  AuditLog1764370000003,
  Deliberation1764371000000,
  Economy1764372000000,
  Mediation1764373000000,
  SessionCacheNotify1764374000000,
  AuditSealFunction1764375000000,
  ProposalShortSearch1764376000000,
  BallotChangeMac1764377000000,
  ProductionMarker1764380100000,
  MatterRules1764381000000,
  BodiesAndSeats1764382000000,
  NoticeJointAuthorisation1764383000000,
  OldCreditCodes1764384000000,
  MediationStatute1764384100000,
  ApprovalsAfterTheVote1764385000000,
  Meetings1764386000000,
  Outbox1764386100000,
  RegisterOfflineIndexes1764386300000,
  Openness1764387000000,
  NotificationLink1764387000600,
  OpennessReminders1764387000700,
  ReadCacheNotify1764388000000,
  JobTick1764388100000,
  PersonListOrder1764388200000,
  ProposalStatsIndexes1764388300000,
  RollupReadCache1764388400000,
  PartyProbation1764388450000,
  PersonNameGrams1764388500000,
  RegisterReadCache1764388600000,
  VoterInboxReadCache1764388700000,
  AuditScopeStatistics1764388800000,
  AuditScopeInIndexes1764388900000,
];
