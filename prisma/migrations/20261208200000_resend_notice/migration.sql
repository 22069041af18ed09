-- Operators may send a participant's notice again, audited like every operator action.

-- AlterEnum
ALTER TYPE "OperatorActionKind" ADD VALUE 'RESEND_NOTICE' AFTER 'RESEND_VERIFICATION_EMAIL';
