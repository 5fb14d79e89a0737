import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { dbOf } from '../database/kysely.js';
import { CommonErrors } from '../errors/domain-error.js';
import { Public } from './access.decorators.js';

@ApiTags('运行状态')
@Controller()
export class HealthController {
  constructor(private readonly db: DataSource) {}

  @Get('health')
  @Public()
  @ApiOperation({ summary: '健康检查（含数据库）' })
  async health(): Promise<{ status: 'ok'; database: 'up' }> {
    try {
      await sql`SELECT 1`.execute(dbOf(this.db));
    } catch {
      throw CommonErrors.databaseUnavailable();
    }
    return { status: 'ok', database: 'up' };
  }
}
