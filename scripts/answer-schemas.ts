/**
 * `npm run contract:schemas`: the JSON Schema of every route's answer, read by the TypeScript checker
 * from the route maps (libs/<lib>/src/*routes.ts, `route<Answer, …>()`), written to
 * apps/api/src/answer-schemas.generated.json. The API puts them into its OpenAPI document as the
 * response schemas (bootstrap.ts); test/e2e/contract.e2e-spec.ts fails when the file is stale.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export type JsonSchema = Record<string, unknown>;
export interface AnswerSchemas {
  /** Named types (interfaces and aliases declared in the libs), referenced as #/components/schemas/<name>. */
  schemas: Record<string, JsonSchema>;
  /** "METHOD /path/:param" → the answer's schema; `{ "x-file": true }` for a file, `{ "x-empty": true }` for 204. */
  routes: Record<string, JsonSchema>;
}

export const ANSWER_SCHEMAS_FILE = 'apps/api/src/answer-schemas.generated.json';

function routeFiles(root: string): string[] {
  const libs = path.join(root, 'libs');
  return readdirSync(libs)
    .flatMap((lib) => {
      const src = path.join(libs, lib, 'src');
      return readdirSync(src)
        .filter((f) => /routes\.ts$/.test(f))
        .map((f) => path.join(src, f));
    })
    .sort();
}

class SchemaWriter {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly naming = new Set<ts.Type>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly root: string,
  ) {}

  /** A named, non-generic type declared in the project's libs: referenced, defined once. */
  private nameOf(type: ts.Type): string | null {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    if (!symbol || (type.aliasTypeArguments?.length ?? 0) > 0) return null;
    if ((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference && (type as ts.TypeReference).typeArguments?.length) return null;
    const decl = symbol.declarations?.[0];
    if (!decl) return null;
    const file = decl.getSourceFile().fileName;
    if (!file.startsWith(path.join(this.root, 'libs'))) return null;
    if (!ts.isInterfaceDeclaration(decl) && !ts.isTypeAliasDeclaration(decl)) return null;
    return symbol.getName();
  }

  of(type: ts.Type): JsonSchema {
    const name = this.nameOf(type);
    if (name && !(type.flags & ts.TypeFlags.Union && type.aliasSymbol === undefined)) {
      if (!this.schemas[name] && !this.naming.has(type)) {
        this.naming.add(type);
        this.schemas[name] = this.inline(type);
        this.naming.delete(type);
      }
      return { $ref: `#/components/schemas/${name}` };
    }
    return this.inline(type);
  }

  private inline(type: ts.Type): JsonSchema {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (f & ts.TypeFlags.StringLiteral) return { type: 'string', enum: [(type as ts.StringLiteralType).value] };
    if (f & ts.TypeFlags.NumberLiteral) return { type: 'number', enum: [(type as ts.NumberLiteralType).value] };
    if (f & ts.TypeFlags.BooleanLiteral) return { type: 'boolean', enum: [this.checker.typeToString(type) === 'true'] };
    if (f & ts.TypeFlags.String || f & ts.TypeFlags.TemplateLiteral) return { type: 'string' };
    if (f & ts.TypeFlags.Number) return { type: 'number' };
    if (f & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (f & ts.TypeFlags.BigInt) return { type: 'string' };
    if (f & ts.TypeFlags.Null) return { type: 'null' };
    if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return {};
    if (type.isUnion()) return this.union(type.types);
    if (type.isIntersection()) return { allOf: type.types.map((t) => this.of(t)) };
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) {
      const args = this.checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: args.length === 1 ? this.of(args[0]) : this.union([...args]) };
    }
    const symbolName = type.getSymbol()?.getName();
    if (symbolName === 'Date') return { type: 'string', format: 'date-time' };
    return this.object(type);
  }

  private union(types: readonly ts.Type[]): JsonSchema {
    const present = types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    const nullable = present.some((t) => t.flags & ts.TypeFlags.Null);
    const rest = present.filter((t) => !(t.flags & ts.TypeFlags.Null));
    let schema: JsonSchema;
    if (rest.length > 0 && rest.every((t) => t.flags & ts.TypeFlags.StringLiteral)) {
      schema = { type: 'string', enum: rest.map((t) => (t as ts.StringLiteralType).value) };
    } else if (rest.length > 0 && rest.every((t) => t.flags & ts.TypeFlags.BooleanLiteral)) {
      schema = { type: 'boolean' };
    } else if (rest.length === 1) {
      schema = this.of(rest[0]);
    } else {
      schema = { anyOf: rest.map((t) => this.of(t)) };
    }
    return nullable ? (rest.length ? { anyOf: [schema, { type: 'null' }] } : { type: 'null' }) : schema;
  }

  private object(type: ts.Type): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const p of this.checker.getPropertiesOfType(type)) {
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      const t = decl ? this.checker.getTypeOfSymbolAtLocation(p, decl) : this.checker.getTypeOfSymbol(p);
      if (t.getCallSignatures().length) continue;
      properties[p.getName()] = this.of(t);
      if (!(p.flags & ts.SymbolFlags.Optional)) required.push(p.getName());
    }
    const schema: JsonSchema = { type: 'object', properties };
    if (required.length) schema.required = required;
    const index = this.checker.getIndexTypeOfType(type, ts.IndexKind.String);
    if (index) schema.additionalProperties = this.of(index);
    return schema;
  }
}

/** Reads every route map and returns the answers' schemas (what the generated file holds). */
export function buildAnswerSchemas(root: string): AnswerSchemas {
  const files = routeFiles(root);
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error('tsconfig.json could not be read');
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const writer = new SchemaWriter(checker, root);
  const routes: Record<string, JsonSchema> = {};
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) && !ts.isStringLiteral(node.name) && ts.isCallExpression(node.initializer)) {
        const callee = node.initializer.expression;
        if (ts.isIdentifier(callee) && callee.text === 'route')
          throw new Error(`${file}: a route's key must be a plain string ('GET /api/v1/…'), not ${node.name.getText()}`);
      }
      if (ts.isPropertyAssignment(node) && ts.isStringLiteral(node.name) && ts.isCallExpression(node.initializer)) {
        const call = node.initializer;
        if (ts.isIdentifier(call.expression) && call.expression.text === 'route') {
          const key = node.name.text;
          const answer = call.typeArguments?.[0];
          if (!answer) throw new Error(`${file}: ${key} declares no answer type`);
          const type = checker.getTypeFromTypeNode(answer);
          const named = type.aliasSymbol?.getName() ?? type.getSymbol()?.getName();
          if (named === 'FileAnswer') routes[key] = { 'x-file': true };
          else if (answer.getText() === 'NoContent') routes[key] = { 'x-empty': true };
          else routes[key] = writer.of(type);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const sorted = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { schemas: sorted(writer.schemas), routes: sorted(routes) };
}

export const renderAnswerSchemas = (s: AnswerSchemas): string => `${JSON.stringify(s, null, 2)}\n`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = process.cwd();
  const schemas = buildAnswerSchemas(root);
  writeFileSync(path.join(root, ANSWER_SCHEMAS_FILE), renderAnswerSchemas(schemas));
  console.log(`已生成 ${ANSWER_SCHEMAS_FILE}：${Object.keys(schemas.routes).length} 条路由，${Object.keys(schemas.schemas).length} 个类型`);
}
