// For the TypeORM CLI (`npm run migration:generate`): DATABASE_URL must point at a database.
import { createDataSource } from '../../../../apps/api/src/data-source.js';
import { loadConfig } from '../config/app-config.js';

const config = loadConfig();
if (!config.databaseUrl) throw new Error('DATABASE_URL 必须设置才能生成迁移');
export default createDataSource(config.databaseUrl, config);
