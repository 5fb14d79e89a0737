import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { chineseMessageOf, constraintNameOf, projectRoot } from '#platform';

/**
 * Every message a validator of a request class can send is what a villager reads under a form field
 * (issue 10 §2, issue 12 item 11). So no message may carry an API field name (`closesAt`, `villageCode`),
 * an API value (`true`, `villagers_meeting`) or a format in code (`YYYY-MM-DD`): a run of two or more
 * ASCII letters is refused unless it is one of the few terms a villager meets on the screen itself.
 * The field a message belongs to travels beside it (`details[].field`), so the message need not say it
 * in code.
 *
 * This walks class-validator's metadata, not the routes: every file under libs/ that uses
 * class-validator is loaded, every exported class with validators is checked, and the classes nested
 * in them (found the way class-transformer finds them).
 */
const ALLOWED = new Set([
  // The file kinds the import screens name on their buttons and titles ("CSV 批量导入村民", "Excel 导入导出",
  // "选择 Excel 文件（.xlsx）"), and that a phone's file picker shows after each file's name.
  'CSV',
  'Excel',
  'xlsx',
  'JPG',
  'PNG',
  'PDF',
  // File sizes, as every phone shows them.
  'MB',
]);
const ASCII_WORD = /[A-Za-z]{2,}/g;

type Cls = abstract new (...args: never[]) => object;
const storage = getMetadataStorage();
const metadataOf = (cls: Cls) => storage.getTargetValidationMetadatas(cls, '', true, false);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [p] : [];
  });
}

async function requestClasses(): Promise<Cls[]> {
  const seen = new Set<Cls>();
  const visit = (cls: Cls) => {
    if (seen.has(cls)) return;
    seen.add(cls);
    for (const m of metadataOf(cls)) {
      if (m.type !== 'nestedValidation') continue;
      const probe = plainToInstance(cls as unknown as new () => object, { [m.propertyName]: [{}] }) as Record<string, unknown[]>;
      const nested = (probe[m.propertyName]?.[0] as object | undefined)?.constructor as Cls | undefined;
      if (nested && nested !== Object) visit(nested);
    }
  };
  const files = sources(path.join(projectRoot(), 'libs')).filter((f) => /from 'class-validator'/.test(readFileSync(f, 'utf8')));
  for (const file of files) {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    for (const value of Object.values(mod)) {
      if (typeof value === 'function' && metadataOf(value as Cls).length) visit(value as Cls);
    }
  }
  return [...seen];
}

describe('validation messages', () => {
  it('name no API field, value or code format: no run of ASCII letters but the allowed terms', async () => {
    const classes = await requestClasses();
    expect(classes.length).toBeGreaterThan(80);
    const problems = new Set<string>();
    let checked = 0;
    for (const cls of classes) {
      for (const m of metadataOf(cls)) {
        if (['nestedValidation', 'conditionalValidation', 'whitelistValidation'].includes(m.type)) continue;
        const message = chineseMessageOf(m);
        checked++;
        const words = [...message.matchAll(ASCII_WORD)].map((w) => w[0]).filter((w) => !ALLOWED.has(w));
        if (words.length) problems.add(`${cls.name}.${m.propertyName} ${constraintNameOf(m)}: "${message}"`);
      }
    }
    expect(checked).toBeGreaterThan(400);
    expect([...problems]).toEqual([]);
  });
});
