import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot, type RouteMap } from '#platform';
import { ANSWER_SCHEMAS_FILE, buildAnswerSchemas, renderAnswerSchemas } from '../../scripts/answer-schemas.js';
import { divisionRoutes } from '#divisions';
import { identityRoutes } from '#identity';
import { auditRoutes } from '#audit';
import { deliberationRoutes } from '#deliberation';
import { mediationRoutes } from '#mediation';
import { opennessRoutes } from '#openness';
import { messagingRoutes } from '#messaging';
import { economyRoutes } from '#economy';
import { allRoutes } from '../support/routes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Every lib's route map: the contract the web's client is typed by (apps/web/src/api/routes.ts). */
const CONTRACT: Record<string, RouteMap> = {
  divisions: divisionRoutes,
  identity: identityRoutes,
  audit: auditRoutes,
  deliberation: deliberationRoutes,
  mediation: mediationRoutes,
  openness: opennessRoutes,
  messaging: messagingRoutes,
  economy: economyRoutes,
};

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

it('the contract and the routes Nest serves are the same set: no route without declared types, no declared route that is not served', () => {
  const served = allRoutes(t.app)
    .map((r) => `${r.method} ${r.path}`)
    .filter((k) => k.includes(' /api/'))
    .sort();
  const declared = Object.values(CONTRACT)
    .flatMap((m) => Object.keys(m))
    .sort();
  expect(declared.filter((k) => !served.includes(k))).toEqual([]);
  expect(served.filter((k) => !declared.includes(k))).toEqual([]);
});

it("the answers' schemas are generated from the route maps as they are now (run `npm run contract:schemas` after changing one)", () => {
  const root = projectRoot();
  const committed = readFileSync(path.join(root, ANSWER_SCHEMAS_FILE), 'utf8');
  expect(committed).toBe(renderAnswerSchemas(buildAnswerSchemas(root)));
}, 120_000);

it('the OpenAPI document gives every served route its answer: a JSON schema, a file, or an empty answer', async () => {
  const res = await t.api.get('/api/docs/openapi.json');
  expect(res.status).toBe(200);
  const doc = res.body as {
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
    components: { schemas: Record<string, unknown> };
  };
  const missing: string[] = [];
  for (const r of allRoutes(t.app).filter((x) => x.path.startsWith('/api/'))) {
    const op = doc.paths[r.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
    const ok =
      op &&
      Object.entries(op.responses).some(
        ([status, resp]) => status.startsWith('2') && (resp.content || status === '204' || r.method === 'DELETE'),
      );
    if (!ok) missing.push(`${r.method} ${r.path}`);
  }
  expect(missing).toEqual([]);
  // A named answer type is defined once and referenced: the division with its path.
  const get = doc.paths['/api/v1/divisions/{code}'].get.responses['200'].content!['application/json'].schema;
  expect(get).toEqual({ $ref: '#/components/schemas/DivisionWithPath' });
  expect(doc.components.schemas.DivisionWithPath).toMatchObject({
    type: 'object',
    required: expect.arrayContaining(['code', 'fullName', 'path']),
  });
});
