-- Service API keys, stored as the SHA-256 digest of a 256-bit secret (see lib/api-keys.ts)
CREATE TABLE "ApiKey" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "platformId" TEXT,
    "secretDigest" BYTEA NOT NULL,
    "displayPrefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ApiKey_name_idx" ON "ApiKey"("name");

-- Webhook signatures seen within the timestamp window: a second arrival is a replay
CREATE TABLE "WebhookSignatureSeen" (
    "platformId" TEXT NOT NULL,
    "signatureDigest" BYTEA NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WebhookSignatureSeen_pkey" PRIMARY KEY ("platformId", "signatureDigest")
);
CREATE INDEX "WebhookSignatureSeen_seenAt_idx" ON "WebhookSignatureSeen"("seenAt");
