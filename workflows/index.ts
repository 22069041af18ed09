// The workflows the worker bundles. One workflow per file.
export { batchAction } from './batch-action';
export { dailyReconciliation } from './daily-reconciliation';
export { participantJourney } from './participant-journey';
export { personalDataRetention } from './personal-data-retention';
export { ruleSetReevaluation } from './rule-set-reevaluation';
export { waveSelection } from './wave-selection';
