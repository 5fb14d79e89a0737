import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { DomainError } from '../errors/domain-error.js';
import { MultilineText, OpaqueText } from '../input/text-kind.js';
import { createValidationPipe } from './validation.js';

class PartyIn {
  @IsString() @Length(1, 100) name: string;
}

class SampleIn {
  @IsString() @Length(1, 200) title: string;
  @MultilineText() @IsOptional() @IsString() @Length(1, 2000) body?: string;
  @OpaqueText() @IsOptional() @IsString() @Length(1, 128) secret?: string;
  @IsOptional() @IsInt() @Min(0) @Max(100) count?: number;
  @IsOptional() @IsIn(['a', 'b']) kind?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(2) @ValidateNested({ each: true }) @Type(() => PartyIn) parties?: PartyIn[];
}

const pipe = createValidationPipe();
const body = { type: 'body' as const, metatype: SampleIn };

async function refusal(value: unknown, meta: Parameters<typeof pipe.transform>[1] = body) {
  try {
    await pipe.transform(value, meta);
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, details: e.details };
    throw e;
  }
  return null;
}

describe('the global validation pipe', () => {
  it('passes good input through as the DTO', async () => {
    const out = await pipe.transform(
      { title: '标题', body: '第一行\n第二行', secret: '\u200b', count: 3, parties: [{ name: '王' }] },
      body,
    );
    expect(out).toBeInstanceOf(SampleIn);
    expect((out as SampleIn).parties?.[0]).toBeInstanceOf(PartyIn);
  });

  it('refuses hard-rule characters anywhere, raw, naming the field', async () => {
    expect(await refusal({ title: 'a\u0000b' })).toEqual({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'title', messages: ['不能包含控制字符'] }],
    });
    expect(await refusal({ title: 't', parties: [{ name: 'a\ud800' }] })).toEqual({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'parties.0.name', messages: ['含有无效的字符编码'] }],
    });
    expect(await refusal({ title: 't', secret: 'a\u202eb' })).toEqual({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'secret', messages: ['不能包含改变文字方向的控制字符'] }],
    });
    expect(await refusal({ ['k\u0000']: 1 })).toEqual({
      code: 'VALIDATION_FAILED',
      details: [{ field: '(字段名)', messages: ['字段名无效'] }],
    });
    expect(await refusal('a\u0000', { type: 'param', metatype: String, data: 'code' })).toEqual({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'code', messages: ['不能包含控制字符'] }],
    });
  });

  it("applies each field's kind after validation: single line by default, a visible character in text for people", async () => {
    expect(await refusal({ title: '第一行\n第二行' })).toEqual({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'title', messages: ['不能包含换行或制表符'] }],
    });
    expect(await refusal({ title: '\u200b\ufeff' })).toEqual({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'title', messages: ['不能只包含空白或不可见字符'] }],
    });
    expect(await refusal({ title: 't', parties: [{ name: '\u3000' }] })).toEqual({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'parties.0.name', messages: ['不能只包含空白或不可见字符'] }],
    });
  });

  it('refuses an explicit null even where the field is optional', async () => {
    expect(await refusal({ title: 't', body: null, count: null })).toEqual({
      code: 'VALIDATION_FAILED',
      details: [
        { field: 'body', messages: ['不能为 null（不填写或不修改时请省略此字段）'] },
        { field: 'count', messages: ['不能为 null（不填写或不修改时请省略此字段）'] },
      ],
    });
  });

  it("translates class-validator's English from each constraint's arguments", async () => {
    const r = await refusal({ title: '', count: 101, kind: 'c', parties: [{}, {}, {}], extra: 1 });
    expect(r?.details).toEqual([
      { field: 'extra', messages: ['不允许的字段：extra'] },
      { field: 'title', messages: ['长度应为 1–200 个字符'] },
      { field: 'count', messages: ['不能大于 100'] },
      { field: 'kind', messages: ['应为以下之一：a、b'] },
      { field: 'parties', messages: ['最多 2 项'] },
      { field: 'parties.0.name', messages: ['长度应为 1–100 个字符', '应为文本'] },
      { field: 'parties.1.name', messages: ['长度应为 1–100 个字符', '应为文本'] },
      { field: 'parties.2.name', messages: ['长度应为 1–100 个字符', '应为文本'] },
    ]);
  });

  it('wants a JSON object for a DTO body, and bounds what it walks', async () => {
    expect(await refusal(['x'])).toEqual({
      code: 'VALIDATION_FAILED',
      details: [{ field: '(请求内容)', messages: ['请求内容应为 JSON 对象'] }],
    });
    expect((await refusal({ title: 't', parties: Array.from({ length: 100_001 }, () => 1) }))?.code).toBe('REQUEST_TOO_COMPLEX');
  });
});
