import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Identity1764370000002 implements MigrationInterface {
  name = 'Identity1764370000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE person (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        real_name          text NOT NULL CHECK (length(real_name) BETWEEN 1 AND 50),
        id_number_enc      bytea NOT NULL,
        id_number_hash     bytea NOT NULL,
        id_number_masked   text NOT NULL,
        birth_date         date NOT NULL,
        gender             char(1) NOT NULL CHECK (gender IN ('M', 'F')),
        phone_enc          bytea,
        phone_hash         bytea,
        phone_masked       text,
        home_division_code varchar(12) NOT NULL REFERENCES division (code),
        household_no       text CHECK (household_no IS NULL OR length(household_no) BETWEEN 1 AND 40),
        is_demo            boolean NOT NULL DEFAULT false,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT person_id_number_uq UNIQUE (id_number_hash),
        CONSTRAINT person_phone_complete CHECK ((phone_enc IS NULL) = (phone_hash IS NULL) AND (phone_hash IS NULL) = (phone_masked IS NULL))
      )`);
    await q.query(`CREATE INDEX person_home_division_idx ON person (home_division_code varchar_pattern_ops)`);
    await q.query(`CREATE INDEX person_phone_hash_idx ON person (phone_hash)`);
    await q.query(`CREATE INDEX person_name_idx ON person (real_name)`);

    await q.query(`
      CREATE TABLE account (
        id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id             uuid NOT NULL REFERENCES person (id),
        login_phone_hash      bytea NOT NULL,
        password_hash         text,
        status                text NOT NULL DEFAULT 'active' CHECK (status IN ('pending', 'active', 'disabled')),
        activation_code_hash  bytea,
        activation_expires_at timestamptz,
        failed_logins         integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
        first_failed_at       timestamptz,
        locked_until          timestamptz,
        last_login_at         timestamptz,
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT account_person_uq UNIQUE (person_id),
        CONSTRAINT account_login_phone_uq UNIQUE (login_phone_hash),
        CONSTRAINT account_active_has_password CHECK (status <> 'active' OR password_hash IS NOT NULL)
      )`);

    await q.query(`
      CREATE TABLE role_grant (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id     uuid NOT NULL REFERENCES person (id),
        role          text NOT NULL CHECK (role IN ('resident', 'village_representative', 'party_member',
                        'collective_member', 'village_committee', 'supervision_committee', 'township_staff',
                        'mediator', 'county_admin', 'city_admin')),
        division_code varchar(12) NOT NULL REFERENCES division (code),
        granted_by    uuid REFERENCES account (id),
        granted_at    timestamptz NOT NULL DEFAULT now(),
        revoked_at    timestamptz,
        revoked_by    uuid REFERENCES account (id),
        CONSTRAINT role_grant_revoked_by CHECK (revoked_at IS NOT NULL OR revoked_by IS NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX role_grant_active_uq ON role_grant (person_id, role, division_code) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX role_grant_person_idx ON role_grant (person_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX role_grant_division_idx ON role_grant (division_code varchar_pattern_ops, role) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE auth_session (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id    uuid NOT NULL REFERENCES account (id),
        created_at    timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz NOT NULL,
        revoked_at    timestamptz,
        revoke_reason text CHECK (revoke_reason IS NULL OR revoke_reason IN ('logout', 'reuse_detected', 'disabled', 'password_changed'))
      )`);
    await q.query(`CREATE INDEX auth_session_account_idx ON auth_session (account_id) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE refresh_token (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id  uuid NOT NULL REFERENCES auth_session (id),
        token_hash  bytea NOT NULL,
        issued_at   timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL,
        rotated_at  timestamptz,
        CONSTRAINT refresh_token_hash_uq UNIQUE (token_hash)
      )`);
    await q.query(`CREATE INDEX refresh_token_session_idx ON refresh_token (session_id)`);

    await q.query(`
      CREATE TABLE login_throttle (
        client_ip    text NOT NULL,
        window_start timestamptz NOT NULL,
        attempts     integer NOT NULL CHECK (attempts > 0),
        PRIMARY KEY (client_ip, window_start)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_throttle`);
    await q.query(`DROP TABLE refresh_token`);
    await q.query(`DROP TABLE auth_session`);
    await q.query(`DROP TABLE role_grant`);
    await q.query(`DROP TABLE account`);
    await q.query(`DROP TABLE person`);
  }
}
