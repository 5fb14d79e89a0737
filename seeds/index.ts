import type { DataSource } from 'typeorm';
import type { PeopleService } from '#identity';
import { assertDemoSeedAllowed } from '#platform';
import { seedDivisions } from './divisions.seed.js';
import { type DemoLogin, seedDemoPeople } from './demo-people.seed.js';
import { seedDemoProposals } from './demo-proposals.seed.js';
import { seedDemoMediation } from './demo-mediation.seed.js';
import { seedDemoEconomy } from './demo-economy.seed.js';
import { seedDemoRegisters } from './demo-registers.seed.js';
import { seedDemoOpenness } from './demo-openness.seed.js';

export interface SeedReport {
  divisionsChanged: number;
  demoLogins: DemoLogin[];
}

/**
 * Idempotent: a second run changes nothing. Domain modules add their demo seeds here.
 * Demo data is refused in production (`env`, else NODE_ENV) and into any database that has ever
 * run in production (its deployment_marker row); the database refuses such rows too.
 */
export async function runSeeds(
  db: DataSource,
  services: { people: PeopleService },
  opts: { demo: boolean; env?: string },
): Promise<SeedReport> {
  if (opts.demo) await assertDemoSeedAllowed(db, opts.env ?? process.env.NODE_ENV);
  const divisionsChanged = await seedDivisions(db);
  const demoLogins = opts.demo ? await seedDemoPeople(db, services.people) : [];
  // The organizations and the seats come before the proposals, whose votes freeze them.
  if (opts.demo) await seedDemoEconomy(db);
  if (opts.demo) await seedDemoRegisters(db);
  if (opts.demo) await seedDemoProposals(db);
  if (opts.demo) await seedDemoMediation(db);
  if (opts.demo) await seedDemoOpenness(db);
  return { divisionsChanged, demoLogins };
}

export { DEMO_PASSWORD } from './demo-people.seed.js';
