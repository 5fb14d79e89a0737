import { type AnswerOf, type Page, route } from '../../platform/src/http/contract.js';
import type { AuditHeadView, AuditResult, AuditView, VerifyResult } from './views.js';

export interface AuditQuery {
  page?: number;
  pageSize?: number;
  /** Chinese words of the action or target (查看 身份证), a person's name, or an exact target id / request id. */
  q?: string;
  action?: string;
  accountId?: string;
  targetType?: string;
  targetId?: string;
  result?: AuditResult;
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
}

/** An anchor published earlier: a row's number and hash. */
export interface AnchorBody {
  seq: string;
  hash: string;
}

export interface VerifyBody {
  anchors?: AnchorBody[];
}

/** The audit module's routes and their types (the web's client is typed by this map). */
export const auditRoutes = {
  'GET /api/v1/audit': route<Page<AuditView>, AuditQuery>(),
  'GET /api/v1/audit/head': route<AuditHeadView>(),
  'POST /api/v1/audit/verify': route<VerifyResult, never, VerifyBody>(),
};

export type AuditAnswer<K extends keyof typeof auditRoutes> = AnswerOf<(typeof auditRoutes)[K]>;
