import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { isWithinAny } from '#divisions';
import { type Actor, Clock, maskMobile, maskResidentId, normalizeResidentId, PiiCipher, queryRows } from '#platform';
import { canRegisterAt } from './case-access.js';
import { casePlace, formatCaseNumber } from './case-number.js';
import { committeeLevel } from './case-lifecycle.js';
import { cstDate } from './deadlines.js';
import type { ApplyDto, CaseSource, PartyDto, RegisterCaseDto } from './dto/case.dto.js';
import { MediationErrors } from './mediation.errors.js';

export interface NewCase {
  committeeCode: string;
  source: CaseSource;
  referringBody?: string | null;
  riskLevel?: string;
  disputeType: string;
  summary: string;
  claims: string;
  amountFen?: number | null;
  nonPublic?: boolean;
  parties: PartyInput[];
  isDemo?: boolean;
}

/** A party as stored: identifiers either given in clear (encrypted here) or copied from the register. */
export interface PartyInput {
  role: string;
  kind: 'person' | 'organization';
  name: string;
  idNumber?: string;
  phone?: string;
  address?: string;
  creditCode?: string;
  represents?: number;
}

const REFERRALS: readonly CaseSource[] = ['court_referral', 'police_referral', 'petition_referral'];

/** Intake: registering a case at a committee (staff) and a resident's online application. */
@Injectable()
export class CaseIntakeService {
  constructor(
    private readonly db: DataSource,
    private readonly pii: PiiCipher,
    private readonly audit: AuditService,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async register(actor: Actor, dto: RegisterCaseDto): Promise<{ id: string; caseNo: string }> {
    if (!(await this.committeeExists(dto.committeeCode)) || !isWithinAny(dto.committeeCode, actor.scopesFor('mediation.case.write'))) {
      throw MediationErrors.committeeNotFound();
    }
    if (!canRegisterAt(actor, dto.committeeCode)) throw MediationErrors.notCommitteeMember();
    return this.db.transaction((em) => this.create(em, actor, { ...dto, parties: dto.parties }));
  }

  /** A resident applies online to the committee of the village where they are registered. */
  async apply(actor: Actor, dto: ApplyDto): Promise<{ id: string; caseNo: string }> {
    if (!actor.personId) throw MediationErrors.noApplicantRecord();
    const scopes = actor.scopesFor('mediation.case.apply');
    const village = scopes.includes(actor.homeDivisionCode) ? actor.homeDivisionCode : scopes.find((s) => s.length === 12);
    if (!village) throw MediationErrors.noApplicantRecord();
    dto.otherParties.forEach((p, i) => {
      if (p.role === 'applicant' || p.role === 'agent') throw MediationErrors.applicationPartyRole(i);
    });
    return this.db.transaction(async (em) => {
      const [me] = await queryRows<{ real_name: string; id_number_enc: Buffer; phone_enc: Buffer | null }>(
        em,
        `SELECT real_name, id_number_enc, phone_enc FROM person WHERE id = $1`,
        [actor.personId],
      );
      if (!me) throw MediationErrors.noApplicantRecord();
      const self: PartyInput = {
        role: 'applicant',
        kind: 'person',
        name: me.real_name,
        idNumber: this.pii.decrypt(me.id_number_enc),
        phone: me.phone_enc ? this.pii.decrypt(me.phone_enc) : undefined,
      };
      return this.create(
        em,
        actor,
        {
          committeeCode: village,
          source: 'application',
          disputeType: dto.disputeType,
          summary: dto.summary,
          claims: dto.claims,
          amountFen: dto.amountFen,
          nonPublic: dto.nonPublic,
          parties: [self, ...dto.otherParties.map((p: PartyDto) => ({ ...p, represents: undefined }))],
        },
        'mediation.case.apply',
      );
    });
  }

  /**
   * Inserts the case inside `em`. The number comes from the committee's counter row for the year,
   * incremented and locked by this transaction until it commits: consecutive, never reused.
   */
  async create(em: EntityManager, actor: Actor, c: NewCase, action = 'mediation.case.register'): Promise<{ id: string; caseNo: string }> {
    this.checkParties(c.parties);
    if (REFERRALS.includes(c.source) !== !!c.referringBody) throw MediationErrors.referringBody();
    const now = this.clock.now();
    const year = Number(cstDate(now).slice(0, 4));
    const place = await this.placeOf(em, c.committeeCode);
    const [{ last_seq: seq }] = await queryRows<{ last_seq: number }>(
      em,
      `INSERT INTO mediation_case_counter (committee_code, year, last_seq) VALUES ($1, $2, 1)
       ON CONFLICT (committee_code, year) DO UPDATE SET last_seq = mediation_case_counter.last_seq + 1
       RETURNING last_seq`,
      [c.committeeCode, year],
    );
    const caseNo = formatCaseNumber(year, place, seq);
    const [{ id }] = await queryRows<{ id: string }>(
      em,
      `INSERT INTO mediation_case (case_no, origin_committee_code, committee_code, year, seq, status, dispute_type, summary, claims,
         amount_fen, source, referring_body, risk_level, non_public, applied_at, created_by, is_demo, created_at, updated_at)
       VALUES ($1, $2, $2, $3, $4, 'applied', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $13, $13) RETURNING id`,
      [
        caseNo,
        c.committeeCode,
        year,
        seq,
        c.disputeType,
        c.summary.trim(),
        c.claims.trim(),
        c.amountFen ?? null,
        c.source,
        c.referringBody ?? null,
        c.riskLevel ?? 'low',
        c.nonPublic ?? false,
        now,
        actor.accountId,
        c.isDemo ?? false,
      ],
    );
    await this.insertParties(em, id, c.parties);
    await em.query(
      `INSERT INTO mediation_case_event (case_id, at, action, from_status, to_status, from_committee, to_committee, account_id)
       VALUES ($1, $2, 'register', NULL, 'applied', NULL, $3, $4)`,
      [id, now, c.committeeCode, actor.accountId],
    );
    await this.audit.record(em, {
      actor,
      action,
      targetType: 'mediation_case',
      targetId: id,
      targetDivision: c.committeeCode,
      details: { caseNo, source: c.source, disputeType: c.disputeType, parties: c.parties.length },
    });
    return { id, caseNo };
  }

  private checkParties(parties: PartyInput[]): void {
    if (!parties.some((p) => p.role === 'applicant') || !parties.some((p) => p.role === 'respondent'))
      throw MediationErrors.partiesIncomplete();
    parties.forEach((p, i) => {
      if (p.kind === 'person' ? !!p.creditCode : !p.creditCode || !!p.idNumber) throw MediationErrors.partyIdentifierMissing(i);
      // Minimum necessary: a name and a way to reach the party; the ID number may follow at acceptance.
      if (p.kind === 'person' && !p.idNumber && !p.phone && !p.address?.trim()) throw MediationErrors.partyUnreachable(i);
      const target = p.represents === undefined ? undefined : parties[p.represents];
      if ((p.role === 'agent') !== (target !== undefined) || (target && target.role === 'agent')) throw MediationErrors.agentTarget(i);
    });
  }

  private async insertParties(em: EntityManager, caseId: string, parties: PartyInput[]): Promise<void> {
    for (const [ord, p] of parties.entries()) {
      const idNumber = p.idNumber ? normalizeResidentId(p.idNumber) : null;
      const idHash = idNumber ? this.pii.hash('id', idNumber) : null;
      // Linking a person party to the register lets that resident find the case under "my cases".
      const linked = idHash ? await queryRows<{ id: string }>(em, `SELECT id FROM person WHERE id_number_hash = $1`, [idHash]) : [];
      await em.query(
        `INSERT INTO mediation_party (case_id, ord, party_role, kind, name, id_number_enc, id_number_hash, id_number_masked,
           phone_enc, phone_hash, phone_masked, address, credit_code, person_id, represents_ord)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
        [
          caseId,
          ord,
          p.role,
          p.kind,
          p.name.trim(),
          idNumber ? this.pii.encrypt(idNumber) : null,
          idHash,
          idNumber ? maskResidentId(idNumber) : null,
          p.phone ? this.pii.encrypt(p.phone) : null,
          p.phone ? this.pii.hash('phone', p.phone) : null,
          p.phone ? maskMobile(p.phone) : null,
          p.address?.trim() || null,
          p.creditCode ?? null,
          linked[0]?.id ?? null,
          p.represents ?? null,
        ],
      );
    }
  }

  private async committeeExists(code: string): Promise<boolean> {
    if (!committeeLevel(code)) return false;
    const rows = await queryRows(this.db, `SELECT 1 FROM division WHERE code = $1`, [code]);
    return rows.length === 1;
  }

  /** The place part of the number from the names of the committee's county, township and village. */
  private async placeOf(em: EntityManager, committeeCode: string): Promise<string> {
    const codes = [6, 9, 12].filter((n) => n <= committeeCode.length).map((n) => committeeCode.slice(0, n));
    const rows = await queryRows<{ code: string; name: string }>(em, `SELECT code, name FROM division WHERE code = ANY($1::varchar[])`, [
      codes,
    ]);
    const name = (code: string | undefined) => rows.find((r) => r.code === code)?.name;
    if (rows.length !== codes.length) throw MediationErrors.committeeNotFound();
    return casePlace({ county: name(codes[0])!, township: name(codes[1]), village: name(codes[2]) });
  }
}
