// What the API is built from; server.ts creates the real ones, tests pass their own.
import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import type { PrismaClient } from '../lib/database';
import type { Logger } from '../lib/logger';
import type { PeopleTokens } from '../lib/people-tokens';
import type { PersonalDataCipher } from '../lib/personal-data';
import type { RegistrationStore } from './registrations/registration-store';
import type { RuleSetSimulation } from './rule-sets/rule-set.service';

export interface AppDependencies {
  config: Config;
  prisma: PrismaClient;
  temporal: Client;
  logger: Logger;
  personalData: PersonalDataCipher;
  /** Writes registrations (the signup hot path); the caller closes it. */
  registrationStore: RegistrationStore;
  /** Used to ask the simulators for their health; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** The clock for wave states, webhook timestamps and rule-set life cycles; defaults to the system clock. */
  now?: () => Date;
  /** Simulates a rule set over the stored population; without it, simulate answers 503. */
  ruleSetSimulator?: RuleSetSimulation;
  /** Verifies (and issues) people's tokens; defaults to one built from config.tokens. */
  peopleTokens?: PeopleTokens;
  /** Where the built console is; defaults to console/dist. */
  consoleDistDir?: string;
}
