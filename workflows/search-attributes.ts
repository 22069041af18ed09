// Custom search attributes an operator filters by in the Temporal UI. None carries personal data.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const stageAttribute = defineSearchAttributeKey('JalurStage', SearchAttributeType.KEYWORD);
export const waveAttribute = defineSearchAttributeKey('JalurWave', SearchAttributeType.INT);
export const provinceAttribute = defineSearchAttributeKey('JalurProvince', SearchAttributeType.KEYWORD);
export const eligibilityAttribute = defineSearchAttributeKey('JalurEligibility', SearchAttributeType.KEYWORD);
export const ruleSetVersionAttribute = defineSearchAttributeKey('JalurRuleSetVersion', SearchAttributeType.INT);

export const jalurSearchAttributes = [stageAttribute, waveAttribute, provinceAttribute, eligibilityAttribute, ruleSetVersionAttribute];
