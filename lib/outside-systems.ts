// The outside systems Jalur reaches over HTTP or SMTP, simulated locally by simulators/. Pure,
// so workflow code, workers, configuration, the engine's clients and the simulators share it.
// 'messaging' is the text-message gateway (SMS and WhatsApp) that carries notices beside mail.
export const OUTSIDE_SYSTEMS = ['dukcapil', 'dtks', 'dapodik', 'kemnaker', 'participation-registry', 'payments', 'training', 'mail', 'messaging'] as const;
export type OutsideSystem = (typeof OUTSIDE_SYSTEMS)[number];

/** How the messaging gateway reaches a participant's phone. */
export const TEXT_MESSAGE_CHANNELS = ['SMS', 'WHATSAPP'] as const;
export type TextMessageChannel = (typeof TEXT_MESSAGE_CHANNELS)[number];

export function isOutsideSystem(value: string): value is OutsideSystem {
  return (OUTSIDE_SYSTEMS as readonly string[]).includes(value);
}

/**
 * The systems whose calls run on a task queue of their own (the registries and the payment
 * provider), so the server's per-queue rate limit is one ceiling on each across every worker.
 */
export const OUTSIDE_SYSTEM_QUEUES = ['dukcapil', 'dtks', 'dapodik', 'kemnaker', 'participation-registry', 'payments'] as const satisfies readonly OutsideSystem[];
export type OutsideSystemQueue = (typeof OUTSIDE_SYSTEM_QUEUES)[number];
