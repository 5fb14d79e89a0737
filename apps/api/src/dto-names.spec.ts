import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '#platform';

/**
 * No two request classes share a name across the libs: the OpenAPI document names a body's schema by
 * its class, and of two classes with one name Nest's document keeps one, so a route would show (and the
 * fuzz test would send) the other's shape.
 */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

it('every DTO class name is used once across all libs', () => {
  const root = projectRoot();
  const places = new Map<string, string[]>();
  for (const file of sources(path.join(root, 'libs'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/export class (\w+Dto)\b/g)) {
      places.set(m[1], [...(places.get(m[1]) ?? []), path.relative(root, file)]);
    }
  }
  expect(places.size).toBeGreaterThan(60);
  expect([...places].filter(([, where]) => where.length > 1)).toEqual([]);
});
