// A fingerprint of what a rejected request must not change: the row counts of every table that
// only API requests insert into, the full content of those only API requests update, and every
// row of the fixtures the fuzzer aims at. Background journeys of other tests write elsewhere
// (their own ledgers, decisions, wave transitions), so they do not disturb it.
import pg from 'pg';

export interface FingerprintScope {
  participantId: string;
  waveId: string;
}

const COUNTED_TABLES = ['Participant', 'WorkflowStartOutbox', 'Wave', 'RuleSet', 'RuleSetAuditEntry', 'RuleSetReevaluation', 'PersonalDataAccess', 'ApiKey'];
const HASHED_TABLES = ['RuleSet', 'RuleSetAuditEntry'];

export function fingerprintQuery(): string {
  const counts = COUNTED_TABLES.map((table) => `(SELECT count(*) FROM "${table}")::text`);
  const hashes = HASHED_TABLES.map((table) => `(SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "${table}" t)`);
  const fixtures = [
    `(SELECT coalesce(md5(string_agg(t::text, '|')), '') FROM "Participant" t WHERE id = $1::uuid)`,
    `(SELECT coalesce(md5(string_agg(t::text, '|')), '') FROM "Wave" t WHERE id = $2::uuid)`,
    `(SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "WaveApplication" t WHERE "participantId" = $1::uuid OR "waveId" = $2::uuid)`,
    `(SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "LedgerEntry" t WHERE "participantId" = $1::uuid)`,
    // Events of other tests' participants may still be redelivered by the platform simulator.
    `(SELECT coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM "TrainingEvent" t WHERE "participantId" = $1::uuid OR NOT EXISTS (SELECT 1 FROM "Participant" p WHERE p.id = t."participantId"))`,
  ];
  return `SELECT concat_ws(',', ${[...counts, ...hashes, ...fixtures].join(', ')}) AS fingerprint`;
}

export class DatabaseFingerprint {
  private readonly client: pg.Client;
  private readonly query = fingerprintQuery();

  constructor(databaseUrl: string, private readonly scope: FingerprintScope) {
    this.client = new pg.Client({ connectionString: databaseUrl });
  }

  async connect(): Promise<void> {
    await this.client.connect();
  }

  async take(): Promise<string> {
    const { rows } = await this.client.query<{ fingerprint: string }>(this.query, [this.scope.participantId, this.scope.waveId]);
    return rows[0]!.fingerprint;
  }

  /** Waits until the fingerprint holds still (an accepted request's after-effects have landed). */
  async settled(quietMs = 400, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.take();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      const next = await this.take();
      if (next === last || Date.now() > deadline) return next;
      last = next;
    }
  }

  end(): Promise<void> {
    return this.client.end();
  }
}
