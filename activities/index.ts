// All activities, built by one factory from their dependencies (database, cipher, typed
// clients of the outside systems, a Temporal client), as the worker registers them and workflows type them.
import type { Client } from '@temporalio/client';
import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../lib/database';
import type { PersonalDataCipher } from '../lib/personal-data';
import type { PaymentProviderClient } from './clients/payment-provider-client';
import { createEligibilityActivities } from './eligibility';
import { createEmailVerificationActivities } from './email-verification';
import { createLedgerActivities } from './ledger';
import { createParticipantDataActivities } from './participant-data';
import { createProjectionActivities } from './projection';
import { createRegistryCheckActivities, type RegistryClients } from './registry-checks';
import { createRuleSetReevaluationActivities } from './rule-set-reevaluation';
import { createWaveActivities } from './waves';

export interface ActivityDependencies {
  prisma: PrismaClient;
  personalData: PersonalDataCipher;
  registries: RegistryClients;
  paymentProvider: PaymentProviderClient;
  mailer: Transporter;
  mailFrom: string;
  emailTokenKey: Buffer;
  /** Signals other workflows (the re-evaluation's fan-out to the participants' journeys). */
  temporal: Client;
}

export function createActivities(deps: ActivityDependencies) {
  return {
    ...createProjectionActivities(deps),
    ...createEmailVerificationActivities({ ...deps, tokenKey: deps.emailTokenKey }),
    ...createRegistryCheckActivities(deps),
    ...createEligibilityActivities(deps),
    ...createWaveActivities(deps),
    ...createParticipantDataActivities(deps),
    ...createLedgerActivities(deps),
    ...createRuleSetReevaluationActivities(deps),
  };
}
