import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '#platform';

/**
 * No code is shared by two different errors (issue 13): each stable code is declared in one place, a
 * lib's `XErrorCode` const object or one `new DomainError(kind, 'CODE', …)`, so a client that branches
 * on a code branches on one meaning.
 */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

it('every error code is declared once across all libs', () => {
  const root = projectRoot();
  const places = new Map<string, string[]>();
  const add = (code: string, where: string) => places.set(code, [...(places.get(code) ?? []), where]);
  for (const file of sources(path.join(root, 'libs'))) {
    const text = readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    for (const m of text.matchAll(/new DomainError\(\s*'[a-z_]+',\s*'([A-Z][A-Z0-9_]+)'/g)) add(m[1], rel);
    for (const block of text.matchAll(/export const \w+ErrorCode = \{([^}]*)\}/g)) {
      for (const m of block[1].matchAll(/:\s*'([A-Z][A-Z0-9_]+)'/g)) add(m[1], `${rel} (${m[0].trim()})`);
    }
  }
  expect(places.size).toBeGreaterThan(150);
  expect([...places].filter(([, where]) => where.length > 1)).toEqual([]);
});
