import { ConfigError, DeploymentError } from '#platform';
import { runSeedCommand } from '../seeds/seed-command.js';

try {
  const report = await runSeedCommand();
  console.log(`区划变更 ${report.divisionsChanged} 行；演示账号 ${report.demoLogins.length} 个`);
} catch (err) {
  if (err instanceof ConfigError || err instanceof DeploymentError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
