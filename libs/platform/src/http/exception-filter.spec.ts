import { BadRequestException, NotFoundException } from '@nestjs/common';
import { httpStatusOf } from '../errors/domain-error.js';
import { errorBody, toDomainError } from './exception-filter.js';

const answer = (err: unknown) => {
  const d = toDomainError(err);
  return [httpStatusOf(d.kind), errorBody(d)];
};
const pg = (code: string) => Object.assign(new Error('query failed: SELECT secret'), { driverError: { code, constraint: 'x_check' } });

describe('every error in the one Chinese shape', () => {
  it.each([
    ['22P02', 'DATA_REJECTED'], // invalid text representation
    ['22003', 'DATA_REJECTED'], // numeric out of range
    ['22021', 'DATA_REJECTED'], // NUL: invalid byte sequence
    ['22001', 'DATA_REJECTED'], // value too long
    ['23502', 'DATA_REJECTED'], // NOT NULL
    ['23514', 'DATA_REJECTED'], // CHECK
    ['54000', 'DATA_REJECTED'], // index row too large
    ['23503', 'INVALID_REFERENCE'], // foreign key
  ])('PostgreSQL %s is a 400 %s, without SQL', (code, expected) => {
    const [status, body] = answer(pg(code));
    expect([status, (body as { code: string }).code]).toEqual([400, expected]);
    expect(JSON.stringify(body)).not.toMatch(/SELECT|x_check/);
  });

  it('keeps a unique violation a 409 and an unknown failure a 500', () => {
    expect(answer(pg('23505'))[0]).toBe(409);
    expect(answer(pg('42P01'))).toEqual([500, { code: 'INTERNAL_ERROR', message: '服务器内部错误，请稍后重试' }]);
    expect(answer(new TypeError("Cannot read properties of null (reading 'trim')"))[0]).toBe(500);
  });

  it("answers Fastify's own refusals without echoing the URL", () => {
    const url = Object.assign(new Error("'/api/v1/%E0%A4%A' is not a valid url component"), { code: 'FST_ERR_BAD_URL', statusCode: 400 });
    expect(answer(url)).toEqual([400, { code: 'MALFORMED_URL', message: '网址格式错误' }]);
    const long = Object.assign(new Error("'/api/v1/x…' is exceeding the max param length"), {
      code: 'FST_ERR_MAX_PARAM_LENGTH',
      statusCode: 414,
    });
    expect(answer(long)).toEqual([414, { code: 'URL_TOO_LONG', message: '网址过长' }]);
    const json = Object.assign(new Error('Body is not valid JSON but content-type is set to application/json'), {
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      statusCode: 400,
    });
    expect(answer(json)).toEqual([400, { code: 'MALFORMED_REQUEST', message: '请求格式错误' }]);
    const media = Object.assign(new Error('Unsupported Media Type: text/plain'), {
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      statusCode: 415,
    });
    expect((answer(media)[1] as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
    expect(answer(big)).toEqual([413, { code: 'PAYLOAD_TOO_LARGE', message: '上传内容过大' }]);
  });

  it("drops the English of Nest's HTTP exceptions", () => {
    expect(answer(new BadRequestException('Object contains forbidden prototype property'))).toEqual([
      400,
      { code: 'MALFORMED_REQUEST', message: '请求格式错误' },
    ]);
    expect((answer(new NotFoundException('Cannot GET /x'))[1] as { code: string }).code).toBe('ROUTE_NOT_FOUND');
  });
});
