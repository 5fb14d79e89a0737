import { contentSecurityPolicies, policyFor, styleHash } from '#platform';
import { COUNTY, TOWNSHIP_A, VILLAGE_A } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('API answers are never cached and never run as a page', () => {
  it('every kind of answer carries Cache-Control: no-store, the API policy and the Permissions-Policy', async () => {
    const staff = await t.given.user('township_staff', TOWNSHIP_A);
    const admin = await t.given.user('county_admin', COUNTY);
    const p = await t.given.person(VILLAGE_A, { name: '缓存测试' });
    const answers = {
      health: await t.api.get('/health'),
      me: await t.api.get('/api/v1/me', staff.token),
      refused: await t.api.get('/api/v1/me'),
      unknown: await t.api.get('/api/v1/no-such-thing'),
      invalid: await t.api.post('/api/v1/auth/login', { phone: '1' }),
      // A full ID number in clear: the one answer a shared or back-button cache must never keep.
      reveal: await t.api.post(`/api/v1/people/${p.personId}/reveal`, { field: 'idNumber' }, staff.token),
      // Exports carry personal data too.
      excel: await t.api.get(`/api/v1/proposal-stats/xlsx?divisionCode=${COUNTY}`, admin.token),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([k, r]) => [k, r.status]))).toEqual({
      health: 200,
      me: 200,
      refused: 401,
      unknown: 404,
      invalid: 400,
      reveal: 200,
      excel: 200,
    });
    expect(answers.reveal.body.value).toBe(p.idNumber);
    expect(answers.excel.headers.get('content-type')).toContain('spreadsheetml');
    for (const [k, r] of Object.entries(answers)) {
      expect([k, r.headers.get('cache-control')]).toEqual([k, 'no-store']);
      expect([k, r.headers.get('content-security-policy')]).toEqual([
        k,
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      ]);
      expect([k, r.headers.get('permissions-policy')]).toEqual([k, expect.stringContaining('camera=()')]);
      expect([k, r.headers.get('x-frame-options')]).toEqual([k, 'DENY']);
    }
  });

  it('the printable pages the UI opens from memory are allowed by the hash of their exact stylesheet', async () => {
    const csp = contentSecurityPolicies({ inlineStyles: ['body { color: #000; }'] });
    expect(csp.app).toContain(`style-src 'self' ${styleHash('body { color: #000; }')}`);
    // The hash CSP compares: base64 SHA-256 of the UTF-8 text between <style> and </style> (as openssl dgst -sha256 -binary | base64).
    expect(styleHash('body { color: #000; }')).toBe("'sha256-1aWl5icYhS97YQ/01LLr1NnNtW80YDeDybiz/JrsbkI='");
    expect(csp.app).not.toContain('unsafe-inline');
    expect(csp.app).toContain("script-src 'self';");
  });

  it('chooses the policy by path, whatever the query string', () => {
    expect(['/', '/login', '/assets/index-abc.js', '/proposals/1?x=/api/', '/api-notes'].map(policyFor)).toEqual([
      'app',
      'app',
      'app',
      'app',
      'app',
    ]);
    expect(['/api', '/api/v1/me', '/api/v1/me?x=1', '/health'].map(policyFor)).toEqual(['api', 'api', 'api', 'api']);
    expect(['/api/docs', '/api/docs/', '/api/docs/openapi.json', '/api/docs?x=1'].map(policyFor)).toEqual(['docs', 'docs', 'docs', 'docs']);
  });
});
