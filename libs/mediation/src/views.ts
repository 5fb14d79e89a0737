/**
 * The shapes of the 人民调解 API's answers, shared by the services that build them and the web UI
 * that reads them (through its `@libs` alias). Types only: it may import only from names.ts.
 */

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
