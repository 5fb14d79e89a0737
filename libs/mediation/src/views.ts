/**
 * The shapes of the 人民调解 API's answers, shared by the services that build them and the web UI
 * that reads them (through its `@libs` alias). Types only: it may import only from names.ts.
 */
import type { CaseAction } from './names.js';

/** A party as a caller sees it (case-privacy.ts decides how much of it). */
export interface PartyView {
  id: string;
  ord: number;
  role: string;
  kind: 'person' | 'organization';
  name: string;
  idNumberMasked: string | null;
  phoneMasked: string | null;
  address: string | null;
  creditCode: string | null;
  representsOrd: number | null;
}

/**
 * What the caller may do with a case now (case-actions.ts decides it, the same function the workflow
 * refuses with): the actions allowed, and those the case's stage has that the caller may not take,
 * each with the Chinese reason the API would answer (“请先指派调解员…”).
 */
export interface CaseActionsView {
  allowed: CaseAction[];
  blocked: { action: CaseAction; code: string; reason: string }[];
}

/** A mediator of the case's committee not yet assigned to it: offered to whoever may assign. */
export interface AssignableMediator {
  personId: string;
  name: string;
}
