/**
 * A deterministic, realistic population for benchmarks: N participants with their EligibilityFacts,
 * generated inside PostgreSQL (INSERT ... SELECT FROM generate_series), the same for the same N.
 * Participants carry dummy ciphertext ("personalDataKeyId" = 'bench'), which is also how the
 * benchmark recognises a database it may empty.
 */
import type pg from 'pg';

export const BENCH_KEY_ID = 'bench';

/** Approximate 2020 census populations (millions) of Indonesia's 34 provinces: registrations follow population. */
const PROVINCE_WEIGHTS: ReadonlyArray<[string, number]> = [
  ['Aceh', 5.27], ['Sumatera Utara', 14.8], ['Sumatera Barat', 5.53], ['Riau', 6.39], ['Jambi', 3.55], ['Sumatera Selatan', 8.47],
  ['Bengkulu', 2.01], ['Lampung', 9.01], ['Kepulauan Bangka Belitung', 1.46], ['Kepulauan Riau', 2.06], ['DKI Jakarta', 10.56],
  ['Jawa Barat', 48.27], ['Jawa Tengah', 36.52], ['DI Yogyakarta', 3.67], ['Jawa Timur', 40.67], ['Banten', 11.9], ['Bali', 4.32],
  ['Nusa Tenggara Barat', 5.32], ['Nusa Tenggara Timur', 5.33], ['Kalimantan Barat', 5.41], ['Kalimantan Tengah', 2.67],
  ['Kalimantan Selatan', 4.07], ['Kalimantan Timur', 3.77], ['Kalimantan Utara', 0.7], ['Sulawesi Utara', 2.62], ['Sulawesi Tengah', 2.99],
  ['Sulawesi Selatan', 9.07], ['Sulawesi Tenggara', 2.62], ['Gorontalo', 1.17], ['Sulawesi Barat', 1.42], ['Maluku', 1.85],
  ['Maluku Utara', 1.28], ['Papua Barat', 1.13], ['Papua', 4.3],
];

/** The date the generated ages are relative to: the first day of Wave 1 registrations' decisions. */
export const POPULATION_REFERENCE_DATE = '2020-04-11';

/** 1,000 slots shared out by population: a uniform draw times 1,000 picks a province. */
function provinceSlotsSql(): string {
  const total = PROVINCE_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  const slots: string[] = [];
  let cumulative = 0;
  for (const [name, weight] of PROVINCE_WEIGHTS) {
    cumulative += weight;
    const upTo = Math.round((cumulative / total) * 1000);
    while (slots.length < upTo) slots.push(`'${name.replace(/'/g, "''")}'`);
  }
  return `ARRAY[${slots.join(',')}]`;
}

/**
 * Draw number `draw` of participant `i`: uniform in [0, 1), from PostgreSQL's seeded 64-bit integer
 * hash (stable across versions, since hash partitioning depends on it; md5() costs far more here).
 */
const uniform = (draw: number) => `(hashint8extended(i, ${draw}) & 4294967295)::float8 / 4294967296`;

/**
 * The shares, roughly those of 2020's registrations: 2% under 18 and 2.7% over 64, a quarter of
 * the under-25s students, 35% on other social aid, 20% laid off and 15% furloughed (many of them on
 * the Kemnaker list), 7% failing the Dukcapil check, 3% who took part before. The recorded decision
 * is the 2020 rule set's, written out here only so the rows look like real ones: simulations never
 * read it (they decide both versions again).
 */
function populationSql(): string {
  return `
    CREATE TEMP TABLE bench_population ON COMMIT DROP AS
    SELECT i, id, date_of_birth, is_student, social_aid_programs, on_laid_off_list, employment_status::"EmploymentStatus" AS employment_status,
      micro_business_lost_income, province, previous_participations, identity_status::"IdentityStatus" AS identity_status,
      channel::"RegistrationChannel" AS channel,
      CASE WHEN age < 18 OR is_student OR identity_status <> 'MATCH' OR previous_participations > 0 THEN 'INELIGIBLE' ELSE 'ELIGIBLE' END AS outcome,
      CASE WHEN on_laid_off_list OR employment_status IN ('LAID_OFF', 'FURLOUGHED') OR micro_business_lost_income THEN 30 ELSE 0 END
        + CASE WHEN cardinality(social_aid_programs) = 0 THEN 20 ELSE 0 END AS priority_points
    FROM generate_series(1, $1::bigint) AS i
    CROSS JOIN LATERAL (SELECT
      (lpad(to_hex(hashint8extended(i, 101)), 16, '0') || lpad(to_hex(hashint8extended(i, 102)), 16, '0'))::uuid AS id,
      ${uniform(1)} AS age_group, ${uniform(2)} AS age_in_group, ${uniform(3)} AS day_of_year, ${uniform(4)} AS province_draw,
      ${uniform(5)} AS student, ${uniform(6)} AS aid, ${uniform(7)} AS aid_programs, ${uniform(8)} AS listed,
      ${uniform(9)} AS employment, ${uniform(10)} AS lost_income, ${uniform(11)} AS participated, ${uniform(12)} AS identity,
      ${uniform(13)} AS channel_draw) AS draws
    CROSS JOIN LATERAL (SELECT
      CASE WHEN age_group < 0.02 THEN 16 + floor(age_in_group * 2)
           WHEN age_group < 0.72 THEN 18 + floor(age_in_group * 18)
           WHEN age_group < 0.92 THEN 36 + floor(age_in_group * 20)
           ELSE 56 + floor(age_in_group * 15) END::int AS age,
      CASE WHEN employment < 0.20 THEN 'LAID_OFF' WHEN employment < 0.35 THEN 'FURLOUGHED' WHEN employment < 0.50 THEN 'MICRO_BUSINESS'
           WHEN employment < 0.85 THEN 'JOB_SEEKER' ELSE 'EMPLOYED' END AS employment_status) AS kind
    CROSS JOIN LATERAL (SELECT
      (date '${POPULATION_REFERENCE_DATE}' - make_interval(years => age, days => floor(day_of_year * 365)::int))::date AS date_of_birth,
      CASE WHEN age < 25 THEN student < 0.25 ELSE student < 0.01 END AS is_student,
      CASE WHEN aid >= 0.35 THEN ARRAY[]::text[]
           WHEN aid_programs < 0.40 THEN ARRAY['PKH'] WHEN aid_programs < 0.65 THEN ARRAY['BPNT'] WHEN aid_programs < 0.80 THEN ARRAY['PKH', 'BPNT']
           WHEN aid_programs < 0.92 THEN ARRAY['BST'] ELSE ARRAY['BLT_DANA_DESA'] END AS social_aid_programs,
      CASE employment_status WHEN 'LAID_OFF' THEN listed < 0.6 WHEN 'FURLOUGHED' THEN listed < 0.4 ELSE listed < 0.03 END AS on_laid_off_list,
      (employment_status = 'MICRO_BUSINESS' AND lost_income < 0.7) AS micro_business_lost_income,
      (${provinceSlotsSql()})[1 + floor(province_draw * 1000)::int] AS province,
      CASE WHEN participated < 0.03 THEN 1 ELSE 0 END AS previous_participations,
      CASE WHEN identity < 0.93 THEN 'MATCH' WHEN identity < 0.97 THEN 'MISMATCH' WHEN identity < 0.995 THEN 'NOT_FOUND' ELSE 'DECEASED' END AS identity_status,
      CASE WHEN channel_draw < 0.85 THEN 'SELF' ELSE 'ASSISTED' END AS channel) AS facts`;
}

/** Empties the participants of a benchmark database and seeds `participants` new ones with their facts. */
export async function seedEligibilityFactsPopulation(client: pg.Client, options: { participants: number; ruleSetId: string; ruleSetVersion: number }): Promise<void> {
  const foreign = await client.query<{ count: string }>(`SELECT count(*) FROM "Participant" WHERE "personalDataKeyId" <> $1`, [BENCH_KEY_ID]);
  if (Number(foreign.rows[0]?.count) > 0) {
    throw new Error('This database holds participants the benchmark did not create: point --database-url at a benchmark database');
  }
  await client.query('BEGIN');
  try {
    await client.query('TRUNCATE "Participant" CASCADE');
    await client.query(populationSql(), [options.participants]);
    await client.query(
      `INSERT INTO "Participant" ("id", "nikHash", "personalData", "personalDataKeyId", "province", "employmentStatus", "microBusinessLostIncome", "channel",
         "stage", "eligibilityOutcome", "ruleSetId", "ruleSetVersion", "priorityPoints", "updatedAt")
       SELECT p.id, 'bench-nik:' || p.i, 'bench-ciphertext', $1, p.province, p.employment_status, p.micro_business_lost_income, p.channel,
         p.outcome, p.outcome, $2, $3, p.priority_points, now()
       FROM bench_population p`,
      [BENCH_KEY_ID, options.ruleSetId, options.ruleSetVersion],
    );
    await client.query(
      `INSERT INTO "EligibilityFacts" ("participantId", "dateOfBirth", "isStudent", "socialAidPrograms", "onLaidOffList", "employmentStatus",
         "microBusinessLostIncome", "province", "previousParticipations", "identityStatus", "channel", "recordedAt", "ruleSetId", "ruleSetVersion", "outcome", "priorityPoints")
       SELECT p.id, p.date_of_birth, p.is_student, p.social_aid_programs, p.on_laid_off_list, p.employment_status, p.micro_business_lost_income,
         p.province, p.previous_participations, p.identity_status, p.channel, timestamp '${POPULATION_REFERENCE_DATE} 03:00:00', $1, $2, p.outcome, p.priority_points
       FROM bench_population p`,
      [options.ruleSetId, options.ruleSetVersion],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  // Sets hint bits and the visibility map now, so the first simulation does not pay for it.
  await client.query('VACUUM ANALYZE "Participant", "EligibilityFacts"');
}
