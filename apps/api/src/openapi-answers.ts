import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { projectRoot } from '#platform';

type JsonSchema = Record<string, unknown>;
interface AnswerSchemas {
  schemas: Record<string, JsonSchema>;
  routes: Record<string, JsonSchema>;
}

/** The answers' schemas generated from the route maps (`npm run contract:schemas`). */
export function loadAnswerSchemas(): AnswerSchemas {
  return JSON.parse(readFileSync(path.join(projectRoot(), 'apps/api/src/answer-schemas.generated.json'), 'utf8')) as AnswerSchemas;
}

/** Puts each route's answer schema into the OpenAPI document as its success response. */
export function addAnswerSchemas(doc: OpenAPIObject, answers: AnswerSchemas): OpenAPIObject {
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, ...answers.schemas } };
  for (const [openApiPath, item] of Object.entries(doc.paths)) {
    const nestPath = openApiPath.replace(/\{([^}]+)\}/g, ':$1');
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const op = item[method];
      const schema = answers.routes[`${method.toUpperCase()} ${nestPath}`];
      if (!op || !schema) continue;
      const status = Object.keys(op.responses ?? {}).find((s) => s.startsWith('2')) ?? (method === 'post' ? '201' : '200');
      const described = op.responses?.[status] as { description?: string } | undefined;
      const description = described?.description ?? '成功';
      if (schema['x-empty']) op.responses = { ...op.responses, [status]: { description } };
      else if (schema['x-file'])
        op.responses = {
          ...op.responses,
          [status]: { description, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
        };
      else op.responses = { ...op.responses, [status]: { description, content: { 'application/json': { schema } } } };
    }
  }
  return doc;
}
