// All activities, built by one factory from their dependencies (database, cipher, typed
// clients of the outside systems, a Temporal client), as the worker registers them and workflows type them.
import type { Client } from '@temporalio/client';
import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../lib/database';
import type { PersonalDataCipher } from '../lib/personal-data';
import type { MessagingGatewayClient } from './clients/messaging-gateway-client';
import type { PaymentProviderClient } from './clients/payment-provider-client';
import { createAppealActivities } from './appeals';
import { createBatchActionActivities } from './batch-actions';
import { createEligibilityActivities } from './eligibility';
import { createEmailVerificationActivities } from './email-verification';
import { createLedgerActivities } from './ledger';
import { createNoticeActivities } from './notices';
import { createParticipantDataActivities } from './participant-data';
import { createPaymentReconciliationActivities } from './payment-reconciliation';
import { createPersonalDataRetentionActivities } from './personal-data-retention';
import { createProjectionActivities } from './projection';
import { createRegistryCheckActivities, type RegistryClients } from './registry-checks';
import { createRuleSetReevaluationActivities } from './rule-set-reevaluation';
import { createWaveSelectionActivities } from './wave-selection';
import { createWaveActivities } from './waves';
import type { FanOutSettings } from '../workflows/wave-selection.definitions';

export interface ActivityDependencies {
  prisma: PrismaClient;
  personalData: PersonalDataCipher;
  registries: RegistryClients;
  paymentProvider: PaymentProviderClient;
  mailer: Transporter;
  mailFrom: string;
  /** Text messages (SMS) to participants who chose them for their notices. */
  messaging: MessagingGatewayClient;
  emailTokenKey: Buffer;
  /** Signals other workflows: the re-evaluation's and the wave selection's fan-outs to the journeys. */
  temporal: Client;
  waves: { carryOver: boolean; selection: FanOutSettings };
  /** The daily reconciliation's midnight grace window. */
  reconciliation: { midnightGraceMs: number };
  /** Where ID photos are; the retention job erases them. */
  photoStorageDir: string;
}

export function createActivities(deps: ActivityDependencies) {
  return {
    ...createProjectionActivities(deps),
    ...createEmailVerificationActivities({ ...deps, tokenKey: deps.emailTokenKey }),
    ...createNoticeActivities(deps),
    ...createAppealActivities(deps),
    ...createRegistryCheckActivities(deps),
    ...createEligibilityActivities(deps),
    ...createWaveActivities({ prisma: deps.prisma, carryOver: deps.waves.carryOver }),
    ...createWaveSelectionActivities({ prisma: deps.prisma, temporal: deps.temporal, fanOut: deps.waves.selection }),
    ...createParticipantDataActivities(deps),
    ...createPersonalDataRetentionActivities(deps),
    ...createLedgerActivities(deps),
    ...createPaymentReconciliationActivities(deps),
    ...createRuleSetReevaluationActivities(deps),
    ...createBatchActionActivities(deps),
  };
}
