-- Test cases travel with a rule set version: named applicants and the decision each must get.
-- Versions stored before have none.
ALTER TABLE "RuleSet" ADD COLUMN "testCases" JSONB NOT NULL DEFAULT '[]';
