-- Program terms per wave: the training balance, the incentive amount and count, the survey amount
-- and count, beside the calendar. Existing waves, and rows inserted without terms, get the 2020
-- terms (DEFAULT_PROGRAM_TERMS in lib/program-terms.ts): what their participants were promised.

-- AlterTable
ALTER TABLE "Wave" ADD COLUMN "terms" JSONB NOT NULL DEFAULT '{"trainingBalance":1000000,"incentiveAmount":600000,"incentiveCount":4,"surveyAmount":50000,"surveyCount":3}';
