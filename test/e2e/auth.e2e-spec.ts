import { JwtService } from '@nestjs/jwt';
import { DEMO_PASSWORD } from '../../seeds/index.js';
import { makeIdNumber, makePhone, TEST_PASSWORD, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { queryRows } from '../support/sql.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('login', () => {
  it('returns an access and refresh token, and /me shows masked personal data', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    const me = await t.api.get('/api/v1/me', u.token);
    expect(me.status).toBe(200);
    expect(me.body.personId).toBe(u.personId);
    expect(me.body.idNumberMasked).toBe(`${u.idNumber.slice(0, 4)}**********${u.idNumber.slice(-4)}`);
    expect(me.body.phoneMasked).toBe(`${u.phone.slice(0, 3)}****${u.phone.slice(7)}`);
    expect(JSON.stringify(me.body)).not.toContain(u.idNumber);
    expect(JSON.stringify(me.body)).not.toContain(u.phone);
    expect(me.body).toMatchObject({ realName: u.realName, homeDivisionCode: VILLAGE_A, homeDivisionName: '鲍店东街村村委会' });
    expect(me.body.grants).toEqual([
      expect.objectContaining({
        role: 'resident',
        roleName: '村民',
        divisionCode: VILLAGE_A,
        divisionName: '鲍店东街村村委会',
        divisionFullName: '长治市 / 长子县 / 鲍店镇 / 鲍店东街村村委会',
      }),
    ]);
  });

  it('refuses a wrong password with LOGIN_FAILED and an unknown phone the same way', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    const wrong = await t.api.post('/api/v1/auth/login', { phone: u.phone, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ code: 'LOGIN_FAILED', message: '手机号或密码错误' });
    const unknown = await t.api.post('/api/v1/auth/login', { phone: '16600000000', password: 'whatever-123' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.code).toBe('LOGIN_FAILED');
  });

  it('answers a malformed body with 400 VALIDATION_FAILED naming the field', async () => {
    const r = await t.api.post('/api/v1/auth/login', { phone: '12345', password: 'x', extra: 1 });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    const fields = r.body.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['extra', 'phone']);
  });

  it('locks the account after five failures within 15 minutes, with the time in the error', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    for (let i = 0; i < 4; i++) {
      const r = await t.api.post('/api/v1/auth/login', { phone: u.phone, password: 'wrong-password-1' });
      expect(r.body.code).toBe('LOGIN_FAILED');
    }
    const fifth = await t.api.post('/api/v1/auth/login', { phone: u.phone, password: 'wrong-password-1' });
    expect(fifth.status).toBe(423);
    expect(fifth.body.code).toBe('ACCOUNT_LOCKED');
    const until = new Date(fifth.body.details.lockedUntil).getTime();
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    // Even the right password is refused while locked.
    const right = await t.api.post('/api/v1/auth/login', { phone: u.phone, password: TEST_PASSWORD });
    expect(right.status).toBe(423);
    // After 15 minutes (clock moved, not slept) the right password works again.
    t.clock.advance(15 * 60_000 + 1000);
    try {
      const later = await t.api.post('/api/v1/auth/login', { phone: u.phone, password: TEST_PASSWORD });
      expect(later.status).toBe(200);
    } finally {
      t.clock.advance(-(15 * 60_000 + 1000));
    }
  });

  it('does not lock for failures spread beyond the 15-minute window', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    let shifted = 0;
    try {
      for (let i = 0; i < 6; i++) {
        const r = await t.api.post('/api/v1/auth/login', { phone: u.phone, password: 'wrong-password-1' });
        expect(r.body.code).toBe('LOGIN_FAILED');
        if (i === 3) {
          t.clock.advance(16 * 60_000);
          shifted += 16 * 60_000;
        }
      }
    } finally {
      t.clock.advance(-shifted);
    }
  });
});

describe('refresh tokens', () => {
  it('rotates, and reuse of a rotated token revokes the whole family', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    const first = await t.api.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(u.refreshToken);
    const second = await t.api.post('/api/v1/auth/refresh', { refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);

    const reuse = await t.api.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
    // The newest token of the family is dead too, and so is its access token.
    const after = await t.api.post('/api/v1/auth/refresh', { refreshToken: second.body.refreshToken });
    expect(after.status).toBe(401);
    const me = await t.api.get('/api/v1/me', second.body.accessToken);
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('SESSION_REVOKED');
  });

  it('two concurrent refreshes with one token: one rotates, the other is treated as reuse', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    const [a, b] = await Promise.all([
      t.api.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken }),
      t.api.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 401]);
    const rows = await queryRows<{ n: number }>(
      t.db,
      `SELECT count(*)::int AS n FROM refresh_token rt JOIN auth_session s ON s.id = rt.session_id WHERE s.account_id = $1`,
      [u.accountId],
    );
    expect(rows[0].n).toBe(2);
  });
});

describe('logout and account state', () => {
  it('logout revokes the session: the access token and refresh token stop working', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    expect((await t.api.post('/api/v1/auth/logout', {}, u.token)).status).toBe(204);
    expect((await t.api.get('/api/v1/me', u.token)).body.code).toBe('SESSION_REVOKED');
    expect((await t.api.post('/api/v1/auth/refresh', { refreshToken: u.refreshToken })).status).toBe(401);
  });

  it('a disabled account is refused on its very next request', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    const admin = await t.given.user('county_admin', '140428');
    expect((await t.api.get('/api/v1/me', u.token)).status).toBe(200);
    const off = await t.api.patch(`/api/v1/accounts/${u.accountId}/status`, { status: 'disabled' }, admin.token);
    expect(off.status).toBe(200);
    const next = await t.api.get('/api/v1/me', u.token);
    expect(next.status).toBe(403);
    expect(next.body.code).toBe('ACCOUNT_DISABLED');
    const login = await t.api.post('/api/v1/auth/login', { phone: u.phone, password: TEST_PASSWORD });
    expect(login.body.code).toBe('ACCOUNT_DISABLED');
  });

  // Revoked through the API, in the process that serves the next request: refused on that very request.
  // (A change made by SQL outside the app reaches the guard by NOTIFY: test/e2e/session-cache.e2e-spec.ts.)
  it('a revoked role is refused on the very next request', async () => {
    const u = await t.given.user('township_staff', '140428101');
    const admin = await t.given.user('county_admin', '140428');
    expect((await t.api.get('/api/v1/people', u.token)).status).toBe(200);
    const [grant] = await queryRows<{ id: string }>(
      t.db,
      `SELECT id FROM role_grant WHERE person_id = $1 AND role = 'township_staff' AND revoked_at IS NULL`,
      [u.personId],
    );
    expect((await t.api.post(`/api/v1/grants/${grant.id}/revoke`, {}, admin.token)).status).toBe(204);
    const r = await t.api.get('/api/v1/people', u.token);
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('PERMISSION_DENIED');
  });

  it('rejects tokens signed with another secret, for another audience or issuer, expired, or garbage', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    const jwt = t.app.get(JwtService);
    const [, payload] = u.token.split('.');
    const { sid, sub } = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const sign = (o: { secret?: string; audience?: string; issuer?: string; expiresIn?: number }) =>
      jwt.sign(
        { sid },
        {
          subject: sub,
          secret: o.secret ?? t.config.jwtSecret,
          audience: o.audience ?? t.config.jwtAudience,
          issuer: o.issuer ?? t.config.jwtIssuer,
          expiresIn: o.expiresIn ?? 60,
          algorithm: 'HS256',
        },
      );
    expect((await t.api.get('/api/v1/me', sign({}))).status).toBe(200);
    expect((await t.api.get('/api/v1/me', sign({ secret: 'another-secret-another-secret-1234' }))).body.code).toBe('TOKEN_INVALID');
    expect((await t.api.get('/api/v1/me', sign({ audience: 'someone-else' }))).body.code).toBe('TOKEN_INVALID');
    expect((await t.api.get('/api/v1/me', sign({ issuer: 'someone-else' }))).body.code).toBe('TOKEN_INVALID');
    expect((await t.api.get('/api/v1/me', sign({ expiresIn: -10 }))).body.code).toBe('TOKEN_EXPIRED');
    const [h, p] = u.token.split('.');
    const tampered = `${h}.${p}.${Buffer.from('forged').toString('base64url')}`;
    expect((await t.api.get('/api/v1/me', tampered)).body.code).toBe('TOKEN_INVALID');
    expect((await t.api.get('/api/v1/me', 'garbage')).body.code).toBe('TOKEN_INVALID');
    expect((await t.api.get('/api/v1/me')).body.code).toBe('UNAUTHENTICATED');
  });
});

describe('password policy', () => {
  const weakReason = (body: { details?: { reasons?: string[] } }) => body.details?.reasons ?? [];

  it('password change: refuses wrong length and easy passwords with their codes and a Chinese reason, accepts a strong one', async () => {
    const u = await t.given.user('resident', VILLAGE_A);
    const change = (newPassword: string, oldPassword = TEST_PASSWORD) =>
      t.api.post('/api/v1/auth/password', { oldPassword, newPassword }, u.token);
    expect((await change('short')).body.code).toBe('PASSWORD_LENGTH');
    expect((await change('x'.repeat(65))).body.code).toBe('PASSWORD_LENGTH');
    for (const weak of ['Password123', 'woaini1314', 'Admin@123', '5201314a', DEMO_PASSWORD]) {
      const r = await change(weak);
      expect([weak, r.status, r.body.code]).toEqual([weak, 400, 'PASSWORD_TOO_WEAK']);
      expect(r.body.message).toMatch(/^密码太容易被猜到：.+。建议使用三个以上不相关的词语或更长的句子/);
      expect(weakReason(r.body).length).toBeGreaterThan(0);
    }
    expect(weakReason((await change(DEMO_PASSWORD)).body)).toContain('是公开的演示密码');
    // The person's own phone, in any dress.
    const own = await change(`Wo-${u.phone}`);
    expect(own.body.code).toBe('PASSWORD_TOO_WEAK');
    expect(weakReason(own.body)).toContain('包含手机号');
    // The old password is checked before anything about the new one is said.
    expect((await change('Qiu-tian de pingguo shu 7', 'not-the-old-one')).body.code).toBe('PASSWORD_WRONG');

    const before = await queryRows<{ password_hash: string }>(t.db, `SELECT password_hash FROM account WHERE id = $1`, [u.accountId]);
    expect((await change('Qiu-tian de pingguo shu 7')).status).toBe(204);
    const stored = await queryRows<{ password_hash: string }>(t.db, `SELECT password_hash FROM account WHERE id = $1`, [u.accountId]);
    expect(stored[0].password_hash).not.toBe(before[0].password_hash);
    expect(stored[0].password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect((await t.api.post('/api/v1/auth/login', { phone: u.phone, password: 'Qiu-tian de pingguo shu 7' })).status).toBe(200);
    expect((await t.api.post('/api/v1/auth/login', { phone: u.phone, password: TEST_PASSWORD })).body.code).toBe('LOGIN_FAILED');
  });

  async function pendingResident(realName: string, birth: string) {
    const committee = await t.given.user('village_committee', VILLAGE_A);
    const phone = makePhone();
    const r = await t.api.post(
      `/api/v1/villages/${VILLAGE_A}/residents`,
      { realName, idNumber: makeIdNumber(birth), phone },
      committee.token,
    );
    expect(r.status).toBe(201);
    return { phone, code: r.body.activationCode as string, personId: r.body.personId as string };
  }
  const accountOf = async (personId: string) =>
    (
      await queryRows<{ status: string; has_password: boolean }>(
        t.db,
        `SELECT status, password_hash IS NOT NULL AS has_password FROM account WHERE person_id = $1`,
        [personId],
      )
    )[0];

  it('activation: refuses weak passwords and ones built from the person’s name, birth date or phone; accepts a strong one', async () => {
    const p = await pendingResident('王宇航', '1987-04-28');
    const activate = (password: string, activationCode = p.code) =>
      t.api.post('/api/v1/auth/activate', { phone: p.phone, activationCode, password });
    const cases: [string, string][] = [
      ['Aa123456', '是常见密码'],
      ['Wangyuhang@1987', '包含姓名或姓名拼音'],
      ['王宇航19870428', '包含出生日期'],
      [`Wyh${p.phone}`, '包含手机号'],
    ];
    for (const [password, reason] of cases) {
      const r = await activate(password);
      expect([password, r.status, r.body.code]).toEqual([password, 400, 'PASSWORD_TOO_WEAK']);
      expect(weakReason(r.body)).toContain(reason);
    }
    expect(await accountOf(p.personId)).toEqual({ status: 'pending', has_password: false });
    // Without the code nobody learns what the password check knows about the person.
    expect((await activate('Wangyuhang@1987', 'ABCDEFGH')).body.code).toBe('ACTIVATION_CODE_INVALID');

    const ok = await activate('马灯-黄河-1987-晚风');
    expect(ok.status).toBe(200);
    expect(await accountOf(p.personId)).toEqual({ status: 'active', has_password: true });
    expect((await t.api.post('/api/v1/auth/login', { phone: p.phone, password: '马灯-黄河-1987-晚风' })).status).toBe(200);
  });

  it('a registered but not activated phone answers exactly like a wrong password, locks like one, and activation clears the lock', async () => {
    const p = await pendingResident('李娜', '1990-02-03');
    const active = await t.given.user('resident', VILLAGE_A);
    const pending = await t.api.post('/api/v1/auth/login', { phone: p.phone, password: 'Whatever-2026' });
    const wrong = await t.api.post('/api/v1/auth/login', { phone: active.phone, password: 'Whatever-2026' });
    const unknown = await t.api.post('/api/v1/auth/login', { phone: '16600000002', password: 'Whatever-2026' });
    expect([pending.status, pending.body]).toEqual([wrong.status, wrong.body]);
    expect([pending.status, pending.body]).toEqual([unknown.status, unknown.body]);
    expect(pending.body).toEqual({ code: 'LOGIN_FAILED', message: '手机号或密码错误' });
    const [audit] = await queryRows<{ reason: string }>(
      t.db,
      `SELECT details->>'reason' AS reason FROM audit_log WHERE action = 'auth.login' AND target_id = (SELECT id::text FROM account WHERE person_id = $1)`,
      [p.personId],
    );
    expect(audit.reason).toBe('not_activated');

    const codes: string[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await t.api.post('/api/v1/auth/login', { phone: p.phone, password: `Whatever-${i}` })).body.code);
    expect(codes).toEqual(['LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_FAILED', 'ACCOUNT_LOCKED']);
    const act = await t.api.post('/api/v1/auth/activate', {
      phone: p.phone,
      activationCode: p.code,
      password: 'Qiu-tian de pingguo shu 7',
    });
    expect(act.status).toBe(200);
    expect((await t.api.post('/api/v1/auth/login', { phone: p.phone, password: 'Qiu-tian de pingguo shu 7' })).status).toBe(200);
  });
});

describe('per-IP login rate limit', () => {
  it('refuses logins from one IP past the limit per minute, counted in the database', async () => {
    const limited = await (await import('../support/test-app.js')).startTestApp({ LOGIN_IP_LIMIT_PER_MINUTE: '3' });
    try {
      const codes: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await limited.api.post('/api/v1/auth/login', { phone: '16600000001', password: 'whatever-123' });
        codes.push(r.body.code);
      }
      expect(codes).toEqual(['LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_RATE_LIMITED', 'LOGIN_RATE_LIMITED']);
      const rows = await queryRows<{ attempts: number }>(limited.db, `SELECT attempts FROM login_throttle WHERE client_ip = '127.0.0.1'`);
      expect(rows.reduce((s, r) => s + r.attempts, 0)).toBe(5);
    } finally {
      await limited.close();
    }
  });
});
