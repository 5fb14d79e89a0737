import type { DataSource } from 'typeorm';
import type { PeopleService } from '#identity';
import { seedDivisions } from './divisions.seed.js';
import { type DemoLogin, seedDemoPeople } from './demo-people.seed.js';
import { seedDemoProposals } from './demo-proposals.seed.js';
import { seedDemoMediation } from './demo-mediation.seed.js';
import { seedDemoEconomy } from './demo-economy.seed.js';

export interface SeedReport {
  divisionsChanged: number;
  demoLogins: DemoLogin[];
}

/** Idempotent: a second run changes nothing. Domain modules add their demo seeds here. */
export async function runSeeds(db: DataSource, services: { people: PeopleService }, opts: { demo: boolean }): Promise<SeedReport> {
  const divisionsChanged = await seedDivisions(db);
  const demoLogins = opts.demo ? await seedDemoPeople(db, services.people) : [];
  if (opts.demo) await seedDemoProposals(db);
  if (opts.demo) await seedDemoMediation(db);
  if (opts.demo) await seedDemoEconomy(db);
  return { divisionsChanged, demoLogins };
}

export { DEMO_PASSWORD } from './demo-people.seed.js';
