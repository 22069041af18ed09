/**
 * Parses TRAINING_PLATFORM_SECRETS ("platformId=secret,platformId=secret"). The simulators
 * (which sign training-platform webhooks) and the API (which verifies them) both read it here,
 * so they always agree on which secret belongs to which platform.
 */

export type TrainingPlatformSecrets = ReadonlyMap<string, string>;

const PLATFORM_ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

export class PlatformSecretsFormatError extends Error {
  constructor(readonly problems: string[]) {
    // The problems name entry positions and platform ids only: secrets never reach a message.
    super(`TRAINING_PLATFORM_SECRETS is malformed: ${problems.join('; ')}`);
    this.name = 'PlatformSecretsFormatError';
  }
}

export function parseTrainingPlatformSecrets(raw: string | undefined): TrainingPlatformSecrets {
  const secrets = new Map<string, string>();
  const problems: string[] = [];
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');

  entries.forEach((entry, position) => {
    const separator = entry.indexOf('=');
    if (separator === -1) {
      problems.push(`entry ${position + 1} has no "=" between platform id and secret`);
      return;
    }
    const platformId = entry.slice(0, separator).trim();
    // Split on the first "=" only: base64 secrets often end in "=".
    const secret = entry.slice(separator + 1).trim();
    if (!PLATFORM_ID_PATTERN.test(platformId)) {
      problems.push(`entry ${position + 1} has an invalid platform id (lower-case letters, digits and "-")`);
      return;
    }
    if (secret === '') {
      problems.push(`platform "${platformId}" has an empty secret`);
      return;
    }
    if (secrets.has(platformId)) {
      problems.push(`platform "${platformId}" is listed more than once`);
      return;
    }
    secrets.set(platformId, secret);
  });

  if (problems.length > 0) {
    throw new PlatformSecretsFormatError(problems);
  }
  return secrets;
}

/** A platform without a configured secret uses a well-known development secret. */
export function webhookSecretForPlatform(secrets: TrainingPlatformSecrets, platformId: string): string {
  return secrets.get(platformId) ?? `dev-webhook-secret-${platformId}`;
}
