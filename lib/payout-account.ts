// Where a participant's incentives are paid. Pure, so the workflow's update, the API, the
// payment activities and the simulated provider share one shape.
export const PAYOUT_ACCOUNT_TYPES = ['BANK', 'EWALLET'] as const;

export interface PayoutAccount {
  type: (typeof PAYOUT_ACCOUNT_TYPES)[number];
  /** Bank or e-wallet name, e.g. BNI, OVO. */
  provider: string;
  accountNumber: string;
  accountName: string;
}
