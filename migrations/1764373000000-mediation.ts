import type { MigrationInterface, QueryRunner } from 'typeorm';

// Frozen copies of the lists the schema is built from (a migration never imports live code).
const DISPUTE_TYPES = [
  'marriage_family',
  'neighbor',
  'damages',
  'land_contract',
  'homestead',
  'forest_land',
  'labor',
  'contract',
  'expropriation',
  'property_mgmt',
  'other',
];
const SOURCES = ['application', 'initiative', 'court_referral', 'police_referral', 'petition_referral'];
const STAT_COLUMNS = [...DISPUTE_TYPES.map((t) => `type_${t}`), ...SOURCES.map((x) => `source_${x}`)];

/**
 * 人民调解: cases with a per-committee yearly number, parties (identifiers encrypted, hashed, masked),
 * mediator assignments, sessions, agreement, follow-ups, escalation history and violence-risk alerts.
 */
export class Mediation1764373000000 implements MigrationInterface {
  name = 'Mediation1764373000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per committee and year; the intake transaction locks it (INSERT … ON CONFLICT DO UPDATE),
    // so numbers are consecutive and never reused under concurrency.
    await q.query(`
      CREATE TABLE mediation_case_counter (
        committee_code varchar(12) NOT NULL REFERENCES division (code),
        year           integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
        last_seq       integer NOT NULL CHECK (last_seq > 0),
        PRIMARY KEY (committee_code, year)
      )`);

    await q.query(`
      CREATE TABLE mediation_case (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_no               text NOT NULL,
        origin_committee_code varchar(12) NOT NULL REFERENCES division (code),
        committee_code        varchar(12) NOT NULL REFERENCES division (code),
        year                  integer NOT NULL,
        seq                   integer NOT NULL CHECK (seq > 0),
        status                text NOT NULL CHECK (status IN ('applied', 'accepted', 'declined', 'mediating', 'agreed',
                                'terminated', 'follow_up', 'closed')),
        outcome               text CHECK (outcome IN ('declined', 'agreed', 'terminated')),
        dispute_type          text NOT NULL CHECK (dispute_type IN ('marriage_family', 'neighbor', 'damages', 'land_contract',
                                'homestead', 'forest_land', 'labor', 'contract', 'expropriation', 'property_mgmt', 'other')),
        summary               text NOT NULL CHECK (length(summary) BETWEEN 1 AND 4000),
        claims                text NOT NULL CHECK (length(claims) BETWEEN 1 AND 4000),
        amount_fen            bigint CHECK (amount_fen IS NULL OR amount_fen >= 0),
        source                text NOT NULL CHECK (source IN ('application', 'initiative', 'court_referral',
                                'police_referral', 'petition_referral')),
        referring_body        text CHECK (referring_body IS NULL OR length(referring_body) BETWEEN 1 AND 100),
        risk_level            text NOT NULL DEFAULT 'low' CHECK (risk_level IN ('low', 'medium', 'high')),
        violence_risk         boolean NOT NULL DEFAULT false,
        non_public            boolean NOT NULL DEFAULT false,
        applied_at            timestamptz NOT NULL,
        accepted_at           timestamptz,
        due_at                timestamptz,
        overdue_at            timestamptz,
        concluded_at          timestamptz,
        decline_reason        text,
        terminate_reason      text,
        other_channels        text[],
        escalation_count      integer NOT NULL DEFAULT 0 CHECK (escalation_count BETWEEN 0 AND 2),
        closed_at             timestamptz,
        created_by            uuid REFERENCES account (id),
        is_demo               boolean NOT NULL DEFAULT false,
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT mediation_case_no_uq UNIQUE (case_no),
        CONSTRAINT mediation_case_seq_uq UNIQUE (origin_committee_code, year, seq),
        CONSTRAINT mediation_case_referral CHECK ((source IN ('court_referral', 'police_referral', 'petition_referral')) = (referring_body IS NOT NULL)),
        CONSTRAINT mediation_case_accepted CHECK (status IN ('applied', 'declined') OR (accepted_at IS NOT NULL AND due_at IS NOT NULL)),
        CONSTRAINT mediation_case_declined CHECK (status <> 'declined' OR decline_reason IS NOT NULL),
        CONSTRAINT mediation_case_concluded CHECK ((outcome IS NULL) = (concluded_at IS NULL)),
        CONSTRAINT mediation_case_outcome_by_status CHECK (CASE status
          WHEN 'applied' THEN outcome IS NULL WHEN 'accepted' THEN outcome IS NULL WHEN 'mediating' THEN outcome IS NULL
          WHEN 'declined' THEN outcome = 'declined' WHEN 'agreed' THEN outcome = 'agreed'
          WHEN 'follow_up' THEN outcome = 'agreed' WHEN 'terminated' THEN outcome = 'terminated'
          ELSE outcome IN ('agreed', 'terminated') END),
        CONSTRAINT mediation_case_terminated CHECK (outcome IS DISTINCT FROM 'terminated' OR (terminate_reason IS NOT NULL AND other_channels IS NOT NULL)),
        CONSTRAINT mediation_case_closed CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
        CONSTRAINT mediation_case_committee_line CHECK (starts_with(origin_committee_code, committee_code))
      )`);
    await q.query(`CREATE INDEX mediation_case_committee_idx ON mediation_case (committee_code varchar_pattern_ops, status)`);
    await q.query(`CREATE INDEX mediation_case_origin_idx ON mediation_case (origin_committee_code varchar_pattern_ops, applied_at)`);
    await q.query(`CREATE INDEX mediation_case_due_idx ON mediation_case (due_at) WHERE status IN ('accepted', 'mediating')`);
    await q.query(`CREATE INDEX mediation_case_status_idx ON mediation_case (status, applied_at DESC)`);

    // Statistics read rollups, not the cases. Each case adds its contribution to three cells: its
    // receiving committee's month and year, and its county's month. A trigger subtracts the old
    // contribution and adds the new one in the same transaction as the change, so the cells are exact;
    // the whole city's year is then at most one row per committee, not 100,000 cases.
    await q.query(`
      CREATE TABLE mediation_stats_cell (
        rollup         text NOT NULL CHECK (rollup IN ('committee_month', 'committee_year', 'county_month')),
        unit_code      varchar(12) NOT NULL REFERENCES division (code),
        period_start   date NOT NULL,
        received       integer NOT NULL DEFAULT 0,
        agreed         integer NOT NULL DEFAULT 0,
        terminated     integer NOT NULL DEFAULT 0,
        declined       integer NOT NULL DEFAULT 0,
        on_time        integer NOT NULL DEFAULT 0,
        escalated      integer NOT NULL DEFAULT 0,
        overdue        integer NOT NULL DEFAULT 0,
        concluded_days numeric NOT NULL DEFAULT 0,
${STAT_COLUMNS.map((c) => `        ${c} integer NOT NULL DEFAULT 0,`).join('\n')}
        PRIMARY KEY (rollup, unit_code, period_start),
        CONSTRAINT mediation_stats_cell_period CHECK (extract(day FROM period_start) = 1 AND (rollup <> 'committee_year' OR extract(month FROM period_start) = 1)),
        CONSTRAINT mediation_stats_cell_county CHECK (rollup <> 'county_month' OR length(unit_code) = 6),
        CONSTRAINT mediation_stats_cell_nonneg CHECK (received >= 0 AND agreed >= 0 AND terminated >= 0 AND declined >= 0
          AND on_time >= 0 AND escalated >= 0 AND overdue >= 0 AND concluded_days >= 0)
      )`);
    await q.query(
      `CREATE INDEX mediation_stats_cell_prefix_idx ON mediation_stats_cell (rollup, unit_code varchar_pattern_ops, period_start)`,
    );
    // Each cell column and a case's contribution to it (1 or 0, or days for concluded_days).
    const contributions: [string, string][] = [
      ['received', `1`],
      ['agreed', `COALESCE(r.outcome = 'agreed', false)::int`],
      ['terminated', `COALESCE(r.outcome = 'terminated', false)::int`],
      ['declined', `COALESCE(r.outcome = 'declined', false)::int`],
      ['on_time', `COALESCE(r.outcome IN ('agreed', 'terminated') AND r.concluded_at <= r.due_at, false)::int`],
      ['escalated', `COALESCE(r.escalation_count > 0, false)::int`],
      ['overdue', `COALESCE(r.overdue_at IS NOT NULL, false)::int`],
      [
        'concluded_days',
        `CASE WHEN r.outcome IN ('agreed', 'terminated') THEN extract(epoch FROM r.concluded_at - r.accepted_at) / 86400 ELSE 0 END`,
      ],
      ...DISPUTE_TYPES.map((t): [string, string] => [`type_${t}`, `COALESCE(r.dispute_type = '${t}', false)::int`]),
      ...SOURCES.map((x): [string, string] => [`source_${x}`, `COALESCE(r.source = '${x}', false)::int`]),
    ];
    const add = contributions.map(([col, expr]) => `${col} = ${col} + sign * ${expr}`).join(',\n          ');
    await q.query(`
      CREATE FUNCTION mediation_stats_apply(r mediation_case, sign integer) RETURNS void LANGUAGE plpgsql AS $fn$
      DECLARE
        local timestamp := (r.applied_at AT TIME ZONE 'UTC') + interval '8 hours';
        m date := date_trunc('month', local)::date;
        y date := date_trunc('year', local)::date;
        county varchar(12) := left(r.origin_committee_code, 6);
      BEGIN
        -- Coarsest cell first, in every writer: a transaction takes its county's cell before its
        -- committee's, so concurrent writers and the overdue sweep queue instead of deadlocking.
        INSERT INTO mediation_stats_cell (rollup, unit_code, period_start) VALUES ('county_month', county, m) ON CONFLICT DO NOTHING;
        UPDATE mediation_stats_cell SET
          ${add}
        WHERE rollup = 'county_month' AND unit_code = county AND period_start = m;
        INSERT INTO mediation_stats_cell (rollup, unit_code, period_start)
          VALUES ('committee_month', r.origin_committee_code, m), ('committee_year', r.origin_committee_code, y) ON CONFLICT DO NOTHING;
        UPDATE mediation_stats_cell SET
          ${add}
        WHERE unit_code = r.origin_committee_code
          AND ((rollup = 'committee_month' AND period_start = m) OR (rollup = 'committee_year' AND period_start = y));
      END
      $fn$`);
    // Recomputes every cell from the cases: for bulk loads (with the triggers disabled) and repairs.
    await q.query(`
      CREATE FUNCTION mediation_stats_rebuild() RETURNS void LANGUAGE sql AS $fn$
        DELETE FROM mediation_stats_cell;
        INSERT INTO mediation_stats_cell (rollup, unit_code, period_start, ${contributions.map(([col]) => col).join(', ')})
        SELECT k.rollup, k.unit_code, k.period_start, ${contributions.map(([, expr]) => `sum(${expr})`).join(', ')}
          FROM (SELECT c.*, date_trunc('month', (c.applied_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS m,
                       date_trunc('year', (c.applied_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS y
                  FROM mediation_case c) r
          CROSS JOIN LATERAL (VALUES ('county_month', left(r.origin_committee_code, 6)::varchar(12), r.m),
                                     ('committee_month', r.origin_committee_code, r.m),
                                     ('committee_year', r.origin_committee_code, r.y)) AS k (rollup, unit_code, period_start)
         GROUP BY 1, 2, 3;
      $fn$`);
    await q.query(`
      CREATE FUNCTION mediation_stats_trigger() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM mediation_stats_apply(OLD, -1); END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM mediation_stats_apply(NEW, 1); END IF;
        RETURN NULL;
      END
      $fn$`);
    await q.query(
      `CREATE TRIGGER mediation_stats_insert_delete AFTER INSERT OR DELETE ON mediation_case FOR EACH ROW EXECUTE FUNCTION mediation_stats_trigger()`,
    );
    await q.query(`
      CREATE TRIGGER mediation_stats_update AFTER UPDATE ON mediation_case FOR EACH ROW
        WHEN (OLD.outcome IS DISTINCT FROM NEW.outcome OR OLD.concluded_at IS DISTINCT FROM NEW.concluded_at
           OR OLD.due_at IS DISTINCT FROM NEW.due_at OR OLD.accepted_at IS DISTINCT FROM NEW.accepted_at
           OR OLD.escalation_count <> NEW.escalation_count OR OLD.overdue_at IS DISTINCT FROM NEW.overdue_at
           OR OLD.dispute_type <> NEW.dispute_type OR OLD.source <> NEW.source OR OLD.applied_at <> NEW.applied_at
           OR OLD.origin_committee_code <> NEW.origin_committee_code)
        EXECUTE FUNCTION mediation_stats_trigger()`);

    await q.query(`
      CREATE TABLE mediation_party (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id         uuid NOT NULL REFERENCES mediation_case (id) ON DELETE CASCADE,
        ord             integer NOT NULL CHECK (ord >= 0),
        party_role      text NOT NULL CHECK (party_role IN ('applicant', 'respondent', 'third_party', 'agent')),
        kind            text NOT NULL CHECK (kind IN ('person', 'organization')),
        name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        id_number_enc   bytea,
        id_number_hash  bytea,
        id_number_masked text,
        phone_enc       bytea,
        phone_hash      bytea,
        phone_masked    text,
        address         text CHECK (address IS NULL OR length(address) <= 200),
        credit_code     char(18),
        person_id       uuid REFERENCES person (id),
        represents_ord  integer,
        CONSTRAINT mediation_party_ord_uq UNIQUE (case_id, ord),
        CONSTRAINT mediation_party_id_complete CHECK ((id_number_enc IS NULL) = (id_number_hash IS NULL) AND (id_number_hash IS NULL) = (id_number_masked IS NULL)),
        CONSTRAINT mediation_party_phone_complete CHECK ((phone_enc IS NULL) = (phone_hash IS NULL) AND (phone_hash IS NULL) = (phone_masked IS NULL)),
        CONSTRAINT mediation_party_kind CHECK (CASE kind WHEN 'person' THEN id_number_hash IS NOT NULL AND credit_code IS NULL
                                                         ELSE id_number_hash IS NULL AND credit_code IS NOT NULL AND person_id IS NULL END),
        CONSTRAINT mediation_party_agent CHECK ((party_role = 'agent') = (represents_ord IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX mediation_party_person_idx ON mediation_party (person_id) WHERE person_id IS NOT NULL`);
    await q.query(`CREATE INDEX mediation_party_id_hash_idx ON mediation_party (id_number_hash) WHERE id_number_hash IS NOT NULL`);

    await q.query(`
      CREATE TABLE mediation_assignment (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id       uuid NOT NULL REFERENCES mediation_case (id) ON DELETE CASCADE,
        person_id     uuid NOT NULL REFERENCES person (id),
        committee_code varchar(12) NOT NULL REFERENCES division (code),
        assigned_at   timestamptz NOT NULL,
        ended_at      timestamptz,
        CONSTRAINT mediation_assignment_period CHECK (ended_at IS NULL OR ended_at >= assigned_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX mediation_assignment_active_uq ON mediation_assignment (case_id, person_id) WHERE ended_at IS NULL`);
    await q.query(`CREATE INDEX mediation_assignment_person_idx ON mediation_assignment (person_id) WHERE ended_at IS NULL`);

    await q.query(`
      CREATE TABLE mediation_session (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id        uuid NOT NULL REFERENCES mediation_case (id) ON DELETE CASCADE,
        held_on        date NOT NULL,
        place          text NOT NULL CHECK (length(place) BETWEEN 1 AND 200),
        mediator_ids   uuid[] NOT NULL CHECK (cardinality(mediator_ids) >= 1),
        attendees      text NOT NULL CHECK (length(attendees) BETWEEN 1 AND 1000),
        record         text NOT NULL CHECK (length(record) BETWEEN 1 AND 8000),
        created_at     timestamptz NOT NULL,
        created_by     uuid REFERENCES account (id)
      )`);
    await q.query(`CREATE INDEX mediation_session_case_idx ON mediation_session (case_id, held_on)`);

    await q.query(`
      CREATE TABLE mediation_agreement (
        case_id              uuid PRIMARY KEY REFERENCES mediation_case (id) ON DELETE CASCADE,
        facts                text NOT NULL CHECK (length(facts) BETWEEN 1 AND 8000),
        dispute_points       text NOT NULL CHECK (length(dispute_points) BETWEEN 1 AND 4000),
        responsibilities     text NOT NULL CHECK (length(responsibilities) BETWEEN 1 AND 4000),
        terms                text NOT NULL CHECK (length(terms) BETWEEN 1 AND 8000),
        performance_method   text NOT NULL CHECK (length(performance_method) BETWEEN 1 AND 1000),
        perform_by           date NOT NULL,
        effective_on         date NOT NULL,
        confirm_deadline     date NOT NULL,
        follow_up_due        date NOT NULL,
        created_at           timestamptz NOT NULL,
        CONSTRAINT mediation_agreement_dates CHECK (confirm_deadline > effective_on AND follow_up_due > effective_on)
      )`);
    await q.query(`CREATE INDEX mediation_agreement_follow_up_idx ON mediation_agreement (follow_up_due)`);

    await q.query(`
      CREATE TABLE mediation_follow_up (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id      uuid NOT NULL REFERENCES mediation_case (id) ON DELETE CASCADE,
        visited_on   date NOT NULL,
        visitor      text NOT NULL CHECK (length(visitor) BETWEEN 1 AND 100),
        performance  text NOT NULL CHECK (performance IN ('performed', 'partly', 'not_performed')),
        note         text CHECK (note IS NULL OR length(note) <= 2000),
        created_at   timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX mediation_follow_up_case_idx ON mediation_follow_up (case_id)`);

    // The case's history: every transition and every move between committees.
    await q.query(`
      CREATE TABLE mediation_case_event (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id        uuid NOT NULL REFERENCES mediation_case (id) ON DELETE CASCADE,
        at             timestamptz NOT NULL,
        action         text NOT NULL,
        from_status    text,
        to_status      text NOT NULL,
        from_committee varchar(12),
        to_committee   varchar(12) NOT NULL,
        account_id     uuid REFERENCES account (id),
        note           text
      )`);
    await q.query(`CREATE INDEX mediation_case_event_case_idx ON mediation_case_event (case_id, at)`);

    await q.query(`
      CREATE TABLE mediation_alert (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id            uuid NOT NULL REFERENCES mediation_case (id) ON DELETE CASCADE,
        township_code      varchar(12) NOT NULL REFERENCES division (code),
        kind               text NOT NULL CHECK (kind IN ('violence_risk')),
        description        text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
        police_notified_at timestamptz NOT NULL,
        police_contact     text NOT NULL CHECK (length(police_contact) BETWEEN 1 AND 200),
        raised_at          timestamptz NOT NULL,
        raised_by          uuid REFERENCES account (id)
      )`);
    await q.query(`CREATE INDEX mediation_alert_township_idx ON mediation_alert (township_code varchar_pattern_ops, raised_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE mediation_alert`);
    await q.query(`DROP TABLE mediation_case_event`);
    await q.query(`DROP TABLE mediation_follow_up`);
    await q.query(`DROP TABLE mediation_agreement`);
    await q.query(`DROP TABLE mediation_session`);
    await q.query(`DROP TABLE mediation_assignment`);
    await q.query(`DROP TABLE mediation_party`);
    await q.query(`DROP TRIGGER mediation_stats_update ON mediation_case`);
    await q.query(`DROP TRIGGER mediation_stats_insert_delete ON mediation_case`);
    await q.query(`DROP FUNCTION mediation_stats_trigger()`);
    await q.query(`DROP FUNCTION IF EXISTS mediation_stats_rebuild()`);
    await q.query(`DROP FUNCTION mediation_stats_apply(mediation_case, integer)`);
    await q.query(`DROP TABLE mediation_stats_cell`);
    await q.query(`DROP TABLE mediation_case`);
    await q.query(`DROP TABLE mediation_case_counter`);
  }
}
