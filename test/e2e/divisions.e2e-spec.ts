import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('divisions (public reference data, read through the typed repository)', () => {
  it('the root, a division with its path and child count, and its children', async () => {
    const roots = await t.api.get('/api/v1/divisions');
    expect(roots.body).toEqual([{ code: '1404', name: '长治市', level: 'city', parentCode: null }]);
    const county = await t.api.get('/api/v1/divisions/140428');
    expect(county.body).toMatchObject({ code: '140428', name: '长子县', level: 'county', parentCode: '1404', fullName: '长治市 / 长子县' });
    expect(county.body.path).toEqual([{ code: '1404', name: '长治市', level: 'city', parentCode: null }]);
    const children = await t.api.get('/api/v1/divisions/140428/children');
    expect(children.body.length).toBe(county.body.childCount);
    expect(children.body.length).toBeGreaterThan(5);
    expect(children.body.every((c: { parentCode: string; level: string }) => c.parentCode === '140428' && c.level === 'township')).toBe(
      true,
    );
    expect(children.body.map((c: { code: string }) => c.code)).toEqual([...children.body.map((c: { code: string }) => c.code)].sort());
  });

  it('search finds by substring within a division and level; LIKE wildcards in the term match only themselves', async () => {
    const hits = await t.api.get(`/api/v1/divisions/search?q=${encodeURIComponent('鲍店')}&within=140428&level=township`);
    expect(hits.status).toBe(200);
    expect(hits.body).toEqual([expect.objectContaining({ name: '鲍店镇', level: 'township', fullName: '长治市 / 长子县 / 鲍店镇' })]);
    expect((await t.api.get('/api/v1/divisions/search?q=%25')).body).toEqual([]);
    expect((await t.api.get('/api/v1/divisions/search?q=_')).body).toEqual([]);
    const outside = await t.api.get(`/api/v1/divisions/search?q=${encodeURIComponent('鲍店')}&within=140481`);
    expect(outside.body).toEqual([]);
  });

  it('an unknown code answers 404 and a malformed one 400, each with its own code', async () => {
    const missing = await t.api.get('/api/v1/divisions/140499');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('DIVISION_NOT_FOUND');
    const bad = await t.api.get('/api/v1/divisions/14x/children');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('DIVISION_CODE_INVALID');
  });
});
