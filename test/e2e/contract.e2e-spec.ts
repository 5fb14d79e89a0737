import type { RouteMap } from '#platform';
import { divisionRoutes } from '#divisions';
import { economyRoutes } from '#economy';
import { allRoutes } from '../support/routes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** Every lib's route map: the contract the web's client is typed by (apps/web/src/api/routes.ts). */
const CONTRACT: Record<string, RouteMap> = {
  divisions: divisionRoutes,
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
