import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 集体经济: collective economic organizations (members, share history, officers), platform companies
 * (shareholders, industry alliance), yearly figures, year locks, a change history, import jobs.
 * Money is integer fen (bigint); shares of a company are basis points (1 bp = 0.01 %).
 */
export class Economy1764372000000 implements MigrationInterface {
  name = 'Economy1764372000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE collective_org (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        level              text NOT NULL CHECK (level IN ('group', 'village', 'township')),
        division_code      varchar(12) NOT NULL REFERENCES division (code),
        name               text NOT NULL CHECK (length(name) BETWEEN 6 AND 100 AND position('集体经济组织' IN name) > 0),
        credit_code        varchar(18) NOT NULL CHECK (credit_code ~ '^N[123][0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
        registration_no    text CHECK (registration_no IS NULL OR length(registration_no) BETWEEN 1 AND 60),
        registered_on      date,
        charter_filed_on   date,
        chair_name         text NOT NULL CHECK (length(chair_name) BETWEEN 1 AND 50),
        member_count       integer NOT NULL DEFAULT 0 CHECK (member_count >= 0),
        total_shares       bigint NOT NULL DEFAULT 0 CHECK (total_shares >= 0),
        status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
        is_demo            boolean NOT NULL DEFAULT false,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT collective_org_credit_code_uq UNIQUE (credit_code),
        CONSTRAINT collective_org_level_division CHECK (length(division_code) = CASE level WHEN 'township' THEN 9 ELSE 12 END),
        CONSTRAINT collective_org_type_matches_level CHECK (substr(credit_code, 2, 1) = CASE level WHEN 'group' THEN '1' WHEN 'village' THEN '2' ELSE '3' END),
        CONSTRAINT collective_org_code_county CHECK (substr(credit_code, 3, 6) = left(division_code, 6))
      )`);
    // One active village-level organization per village (group-level ones may be several).
    await q.query(
      `CREATE UNIQUE INDEX collective_org_one_per_village_uq ON collective_org (division_code) WHERE level = 'village' AND status = 'active'`,
    );
    await q.query(`CREATE INDEX collective_org_division_idx ON collective_org (division_code varchar_pattern_ops)`);

    await q.query(`
      CREATE TABLE collective_org_officer (
        org_id     uuid NOT NULL REFERENCES collective_org (id),
        person_id  uuid NOT NULL REFERENCES person (id),
        role       text NOT NULL CHECK (role IN ('chair', 'director', 'supervisor')),
        since      date,
        PRIMARY KEY (org_id, person_id)
      )`);
    // The primary key (org, person) already makes "supervisor and director at once" impossible.
    await q.query(`CREATE UNIQUE INDEX collective_org_one_chair_uq ON collective_org_officer (org_id) WHERE role = 'chair'`);

    await q.query(`
      CREATE TABLE collective_member (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        org_id     uuid NOT NULL REFERENCES collective_org (id),
        person_id  uuid NOT NULL REFERENCES person (id),
        joined_on  date NOT NULL,
        left_on    date,
        shares     bigint NOT NULL CHECK (shares >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT collective_member_uq UNIQUE (org_id, person_id),
        CONSTRAINT collective_member_left CHECK (left_on IS NULL OR (left_on >= joined_on AND shares = 0))
      )`);
    await q.query(`CREATE INDEX collective_member_person_idx ON collective_member (person_id)`);

    await q.query(`
      CREATE TABLE collective_share_change (
        id           bigserial PRIMARY KEY,
        member_id    uuid NOT NULL REFERENCES collective_member (id),
        org_id       uuid NOT NULL REFERENCES collective_org (id),
        old_shares   bigint NOT NULL CHECK (old_shares >= 0),
        new_shares   bigint NOT NULL CHECK (new_shares >= 0),
        reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
        changed_at   timestamptz NOT NULL,
        account_id   uuid REFERENCES account (id),
        actor_name   text NOT NULL
      )`);
    await q.query(`CREATE INDEX collective_share_change_member_idx ON collective_share_change (member_id, id)`);

    // Members' shares never exceed the organization's total shares (checked at commit).
    await q.query(`
      CREATE FUNCTION collective_shares_within_total() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v_org uuid;
      BEGIN
        IF TG_TABLE_NAME = 'collective_org' THEN v_org := NEW.id; ELSE v_org := NEW.org_id; END IF;
        IF (SELECT coalesce(sum(m.shares), 0) FROM collective_member m WHERE m.org_id = v_org)
           > (SELECT o.total_shares FROM collective_org o WHERE o.id = v_org) THEN
          RAISE EXCEPTION 'members'' shares exceed the organization''s total shares' USING ERRCODE = '23514', CONSTRAINT = 'collective_member_shares_within_total';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE CONSTRAINT TRIGGER collective_member_shares_total AFTER INSERT OR UPDATE ON collective_member
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION collective_shares_within_total()`);
    await q.query(`CREATE CONSTRAINT TRIGGER collective_org_shares_total AFTER UPDATE OF total_shares ON collective_org
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION collective_shares_within_total()`);

    await q.query(`
      CREATE TABLE platform_company (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        level                text NOT NULL CHECK (level IN ('county', 'township')),
        division_code        varchar(12) NOT NULL REFERENCES division (code),
        name                 text NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
        credit_code          varchar(18) NOT NULL CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
        legal_rep            text NOT NULL CHECK (length(legal_rep) BETWEEN 1 AND 50),
        registered_capital_fen bigint NOT NULL CHECK (registered_capital_fen >= 0),
        paid_in_capital_fen  bigint NOT NULL CHECK (paid_in_capital_fen >= 0),
        founded_on           date,
        business_scope       text CHECK (business_scope IS NULL OR length(business_scope) <= 2000),
        status               text NOT NULL CHECK (status IN ('preparing', 'operating', 'suspended', 'deregistered')),
        is_demo              boolean NOT NULL DEFAULT false,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT platform_company_credit_code_uq UNIQUE (credit_code),
        CONSTRAINT platform_company_level_division CHECK (length(division_code) = CASE level WHEN 'county' THEN 6 ELSE 9 END),
        CONSTRAINT platform_company_paid_in CHECK (paid_in_capital_fen <= registered_capital_fen)
      )`);
    await q.query(`CREATE INDEX platform_company_division_idx ON platform_company (division_code varchar_pattern_ops)`);
    await q.query(`CREATE INDEX platform_company_status_idx ON platform_company (status)`);

    await q.query(`
      CREATE TABLE company_shareholder (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id       uuid NOT NULL REFERENCES platform_company (id),
        org_id           uuid REFERENCES collective_org (id),
        holder_name      text NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 100),
        contribution_fen bigint NOT NULL CHECK (contribution_fen >= 0),
        share_bp         integer NOT NULL CHECK (share_bp BETWEEN 0 AND 10000),
        CONSTRAINT company_shareholder_holder_uq UNIQUE (company_id, holder_name)
      )`);
    await q.query(`CREATE UNIQUE INDEX company_shareholder_org_uq ON company_shareholder (company_id, org_id) WHERE org_id IS NOT NULL`);
    await q.query(`CREATE INDEX company_shareholder_org_idx ON company_shareholder (org_id)`);
    // Shares of one company never exceed 100 % (checked at commit, so a whole list can be replaced).
    await q.query(`
      CREATE FUNCTION company_shares_within_100() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT coalesce(sum(share_bp), 0) FROM company_shareholder WHERE company_id = NEW.company_id) > 10000 THEN
          RAISE EXCEPTION 'shareholders'' shares exceed 100%%' USING ERRCODE = '23514', CONSTRAINT = 'company_shareholder_total_100';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE CONSTRAINT TRIGGER company_shareholder_total AFTER INSERT OR UPDATE ON company_shareholder
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION company_shares_within_100()`);

    await q.query(`
      CREATE TABLE alliance_member (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        company_id   uuid NOT NULL REFERENCES platform_company (id),
        kind         text NOT NULL CHECK (kind IN ('enterprise', 'cooperative', 'collective_org')),
        org_id       uuid REFERENCES collective_org (id),
        name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        joined_on    date NOT NULL,
        role         text NOT NULL CHECK (length(role) BETWEEN 1 AND 40),
        CONSTRAINT alliance_member_uq UNIQUE (company_id, name),
        CONSTRAINT alliance_member_org CHECK ((kind = 'collective_org') = (org_id IS NOT NULL))
      )`);

    await q.query(`
      CREATE TABLE org_year_figures (
        org_id               uuid NOT NULL REFERENCES collective_org (id),
        year                 integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        operating_income_fen bigint NOT NULL CHECK (operating_income_fen >= 0),
        total_income_fen     bigint NOT NULL,
        reserve_fund_fen     bigint NOT NULL CHECK (reserve_fund_fen >= 0),
        distributed_fen      bigint NOT NULL CHECK (distributed_fen >= 0),
        updated_at           timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (org_id, year),
        CONSTRAINT org_year_figures_total CHECK (total_income_fen >= operating_income_fen)
      )`);
    await q.query(`CREATE INDEX org_year_figures_year_idx ON org_year_figures (year)`);

    await q.query(`
      CREATE TABLE company_year_figures (
        company_id   uuid NOT NULL REFERENCES platform_company (id),
        year         integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        revenue_fen  bigint NOT NULL CHECK (revenue_fen >= 0),
        profit_fen   bigint NOT NULL,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (company_id, year)
      )`);
    await q.query(`CREATE INDEX company_year_figures_year_idx ON company_year_figures (year)`);

    await q.query(`
      CREATE TABLE company_dividend (
        company_id  uuid NOT NULL,
        year        integer NOT NULL,
        org_id      uuid NOT NULL REFERENCES collective_org (id),
        amount_fen  bigint NOT NULL CHECK (amount_fen >= 0),
        PRIMARY KEY (company_id, year, org_id),
        FOREIGN KEY (company_id, year) REFERENCES company_year_figures (company_id, year)
      )`);
    await q.query(`CREATE INDEX company_dividend_year_idx ON company_dividend (year)`);

    await q.query(`
      CREATE TABLE economy_year_lock (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        division_code varchar(12) NOT NULL REFERENCES division (code),
        year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        locked_at     timestamptz NOT NULL,
        locked_by     uuid REFERENCES account (id),
        unlocked_at   timestamptz,
        unlocked_by   uuid REFERENCES account (id),
        unlock_reason text,
        CONSTRAINT economy_year_lock_division CHECK (length(division_code) IN (6, 9)),
        CONSTRAINT economy_year_lock_unlock CHECK ((unlocked_at IS NULL) = (unlock_reason IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX economy_year_lock_active_uq ON economy_year_lock (division_code, year) WHERE unlocked_at IS NULL`);

    await q.query(`
      CREATE TABLE economy_change (
        id            bigserial PRIMARY KEY,
        entity_type   text NOT NULL CHECK (entity_type IN ('org', 'company')),
        entity_id     uuid NOT NULL,
        division_code varchar(12) NOT NULL,
        action        text NOT NULL CHECK (length(action) BETWEEN 1 AND 60),
        changes       jsonb NOT NULL,
        changed_at    timestamptz NOT NULL,
        account_id    uuid REFERENCES account (id),
        actor_name    text NOT NULL
      )`);
    await q.query(`CREATE INDEX economy_change_entity_idx ON economy_change (entity_type, entity_id, id)`);

    // History is append-only.
    await q.query(`
      CREATE FUNCTION economy_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
      END $$`);
    await q.query(`CREATE TRIGGER economy_change_append_only BEFORE UPDATE OR DELETE ON economy_change
      FOR EACH ROW EXECUTE FUNCTION economy_history_append_only()`);
    await q.query(`CREATE TRIGGER collective_share_change_append_only BEFORE UPDATE OR DELETE ON collective_share_change
      FOR EACH ROW EXECUTE FUNCTION economy_history_append_only()`);

    await q.query(`
      CREATE TABLE economy_setting (
        key        text PRIMARY KEY CHECK (key IN ('weak_threshold_fen')),
        value      bigint NOT NULL CHECK (value >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO economy_setting (key, value) VALUES ('weak_threshold_fen', 10000000)`);

    await q.query(`
      CREATE TABLE economy_import_job (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id  uuid REFERENCES account (id),
        file_name   text NOT NULL,
        dry_run     boolean NOT NULL,
        status      text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
        total       integer NOT NULL DEFAULT 0 CHECK (total >= 0),
        processed   integer NOT NULL DEFAULT 0 CHECK (processed >= 0),
        errors      jsonb,
        result      jsonb,
        created_at  timestamptz NOT NULL,
        finished_at timestamptz,
        CONSTRAINT economy_import_job_done CHECK ((status = 'running') = (finished_at IS NULL))
      )`);
    await q.query(`CREATE INDEX economy_import_job_account_idx ON economy_import_job (account_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE economy_import_job, economy_setting`);
    await q.query(`DROP TABLE economy_change, economy_year_lock, company_dividend, company_year_figures, org_year_figures`);
    await q.query(`DROP TABLE alliance_member, company_shareholder, platform_company`);
    await q.query(`DROP TABLE collective_share_change, collective_member, collective_org_officer, collective_org`);
    await q.query(`DROP FUNCTION economy_history_append_only(), company_shares_within_100(), collective_shares_within_total()`);
  }
}
