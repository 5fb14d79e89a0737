import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '#audit';
import { DivisionsService, isWithinAny } from '#divisions';
import { RegisterRecords } from '#identity';
import { type Actor, Clock, maskMobile, maskResidentId, normalizeResidentId, PiiCipher } from '#platform';
import { canRegisterAt } from './case-access.js';
import { casePlace, formatCaseNumber } from './case-number.js';
import { committeeLevel } from './case-lifecycle.js';
import { CasesRepository } from './cases.repository.js';
import { cstDate } from './deadlines.js';
import type { ApplyDto, CaseSource, DisputeType, PartyDto, PartyRole, RegisterCaseDto } from './dto/case.dto.js';
import { MediationErrors } from './mediation.errors.js';
import type { RiskLevel } from './names.js';
import { PartiesRepository } from './parties.repository.js';
import type { CaseCreated } from './views.js';

export interface NewCase {
  committeeCode: string;
  source: CaseSource;
  referringBody?: string | null;
  riskLevel?: RiskLevel;
  disputeType: DisputeType;
  summary: string;
  claims: string;
  amountFen?: number | null;
  nonPublic?: boolean;
  parties: PartyInput[];
  isDemo?: boolean;
}

/** A party as stored: identifiers either given in clear (encrypted here) or copied from the register. */
export interface PartyInput {
  role: PartyRole;
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
    private readonly cases: CasesRepository,
    private readonly parties: PartiesRepository,
    private readonly registry: RegisterRecords,
    private readonly divisions: DivisionsService,
  ) {}

  async register(actor: Actor, dto: RegisterCaseDto): Promise<CaseCreated> {
    if (!(await this.committeeExists(dto.committeeCode)) || !isWithinAny(dto.committeeCode, actor.scopesFor('mediation.case.write'))) {
      throw MediationErrors.committeeNotFound();
    }
    if (!canRegisterAt(actor, dto.committeeCode)) throw MediationErrors.notCommitteeMember();
    const place = await this.placeOf(dto.committeeCode);
    return this.db.transaction((em) => this.create(em, actor, { ...dto, parties: dto.parties }, undefined, place));
  }

  /** A resident applies online to the committee of the village where they are registered. */
  async apply(actor: Actor, dto: ApplyDto): Promise<CaseCreated> {
    if (!actor.personId) throw MediationErrors.noApplicantRecord();
    const scopes = actor.scopesFor('mediation.case.apply');
    const village = scopes.includes(actor.homeDivisionCode) ? actor.homeDivisionCode : scopes.find((s) => s.length === 12);
    if (!village) throw MediationErrors.noApplicantRecord();
    dto.otherParties.forEach((p, i) => {
      if (p.role === 'applicant' || p.role === 'agent') throw MediationErrors.applicationPartyRole(i);
    });
    const place = await this.placeOf(village);
    return this.db.transaction(async (em) => {
      const me = await this.registry.contact(em, actor.personId!);
      if (!me) throw MediationErrors.noApplicantRecord();
      const self: PartyInput = {
        role: 'applicant',
        kind: 'person',
        name: me.realName,
        idNumber: this.pii.decrypt(me.idNumberEnc),
        phone: me.phoneEnc ? this.pii.decrypt(me.phoneEnc) : undefined,
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
        place,
      );
    });
  }

  /**
   * Inserts the case inside `em`. The number comes from the committee's counter row for the year,
   * incremented and locked by this transaction until it commits: consecutive, never reused. `place`
   * (placeOf) is best looked up before the transaction: it reads the divisions on a connection of its own.
   */
  async create(em: EntityManager, actor: Actor, c: NewCase, action = 'mediation.case.register', place?: string): Promise<CaseCreated> {
    this.checkParties(c.parties);
    if (REFERRALS.includes(c.source) !== !!c.referringBody) throw MediationErrors.referringBody();
    const now = this.clock.now();
    const year = Number(cstDate(now).slice(0, 4));
    place ??= await this.placeOf(c.committeeCode);
    const seq = await this.cases.nextSeq(em, c.committeeCode, year);
    const caseNo = formatCaseNumber(year, place, seq);
    const id = await this.cases.insert(em, {
      caseNo,
      committeeCode: c.committeeCode,
      year,
      seq,
      disputeType: c.disputeType,
      summary: c.summary.trim(),
      claims: c.claims.trim(),
      amountFen: c.amountFen ?? null,
      source: c.source,
      referringBody: c.referringBody ?? null,
      riskLevel: c.riskLevel ?? 'low',
      nonPublic: c.nonPublic ?? false,
      at: now,
      createdBy: actor.accountId,
      isDemo: c.isDemo ?? false,
    });
    await this.insertParties(em, id, c.parties);
    await this.cases.addEvent(em, {
      caseId: id,
      at: now,
      action: 'register',
      fromStatus: null,
      toStatus: 'applied',
      fromCommittee: null,
      toCommittee: c.committeeCode,
      accountId: actor.accountId,
      note: null,
    });
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
      const linked = idHash ? await this.registry.idByIdNumberHash(em, idHash) : null;
      await this.parties.insert(em, caseId, {
        ord,
        role: p.role,
        kind: p.kind,
        name: p.name.trim(),
        idNumberEnc: idNumber ? this.pii.encrypt(idNumber) : null,
        idNumberHash: idHash,
        idNumberMasked: idNumber ? maskResidentId(idNumber) : null,
        phoneEnc: p.phone ? this.pii.encrypt(p.phone) : null,
        phoneHash: p.phone ? this.pii.hash('phone', p.phone) : null,
        phoneMasked: p.phone ? maskMobile(p.phone) : null,
        address: p.address?.trim() || null,
        creditCode: p.creditCode ?? null,
        personId: linked,
        representsOrd: p.represents ?? null,
      });
    }
  }

  private async committeeExists(code: string): Promise<boolean> {
    if (!committeeLevel(code)) return false;
    return this.divisions.exists(code);
  }

  /** The place part of the number from the names of the committee's county, township and village. */
  private async placeOf(committeeCode: string): Promise<string> {
    const codes = [6, 9, 12].filter((n) => n <= committeeCode.length).map((n) => committeeCode.slice(0, n));
    const names = await this.divisions.namesOf(codes);
    const name = (code: string | undefined) => (code === undefined ? undefined : names.get(code));
    if (names.size !== codes.length) throw MediationErrors.committeeNotFound();
    return casePlace({ county: name(codes[0])!, township: name(codes[1]), village: name(codes[2]) });
  }
}
