/**
 * The fact catalog: every fact a rule may name, its type, and where its value comes from.
 * Rule sets are checked against it when loaded, and evaluation builds exactly these facts.
 */
import { z } from 'zod';
import { ageOnDate, isCalendarDate } from './calendar-date';

/** What a registrant declares; the database's enum of the same name lists the same values. */
export const EMPLOYMENT_STATUSES = ['LAID_OFF', 'FURLOUGHED', 'MICRO_BUSINESS', 'JOB_SEEKER', 'EMPLOYED'] as const;
export type EmploymentStatus = (typeof EMPLOYMENT_STATUSES)[number];
export const IDENTITY_STATUSES = ['MATCH', 'MISMATCH', 'NOT_FOUND', 'DECEASED'] as const;
/** SELF, or ASSISTED by staff at a local government office; the database's enum lists the same values. */
export const REGISTRATION_CHANNELS = ['SELF', 'ASSISTED'] as const;
export type RegistrationChannel = (typeof REGISTRATION_CHANNELS)[number];

export const calendarDateSchema = z.string().refine(isCalendarDate, { message: 'must be a calendar date in YYYY-MM-DD form' });

/** What the journey supplies for one evaluation: raw facts from the registries and the applicant, plus the evaluation date. */
export const eligibilityInputSchema = z
  .strictObject({
    dateOfBirth: calendarDateSchema,
    isStudent: z.boolean(),
    socialAidPrograms: z.array(z.string().min(1)),
    onLaidOffList: z.boolean(),
    employmentStatus: z.enum(EMPLOYMENT_STATUSES),
    microBusinessLostIncome: z.boolean().default(false),
    province: z.string().min(1),
    previousParticipations: z.number().int().min(0),
    // Retired (see factCatalog): a caller may leave it out.
    identityStatus: z.enum(IDENTITY_STATUSES).default('MATCH'),
    channel: z.enum(REGISTRATION_CHANNELS),
    evaluationDate: calendarDateSchema,
  })
  // ISO dates compare correctly as strings; a birth after the evaluation date is a data error, not an age of -1.
  .refine((input) => input.dateOfBirth <= input.evaluationDate, {
    message: 'dateOfBirth must not be after evaluationDate',
    path: ['dateOfBirth'],
  });

/** `microBusinessLostIncome` may be left out (defaults to false), and `identityStatus` (defaults to MATCH). */
export type EligibilityInput = z.input<typeof eligibilityInputSchema>;

/** The facts rules see: the input plus the derived `age` and `receivesSocialAid`. */
export const eligibilityFactsSchema = z.strictObject({
  age: z.number().int().min(0),
  dateOfBirth: calendarDateSchema,
  isStudent: z.boolean(),
  socialAidPrograms: z.array(z.string().min(1)),
  receivesSocialAid: z.boolean(),
  onLaidOffList: z.boolean(),
  employmentStatus: z.enum(EMPLOYMENT_STATUSES),
  microBusinessLostIncome: z.boolean(),
  province: z.string().min(1),
  previousParticipations: z.number().int().min(0),
  identityStatus: z.enum(IDENTITY_STATUSES),
  channel: z.enum(REGISTRATION_CHANNELS),
  evaluationDate: calendarDateSchema,
});

export type EligibilityFacts = z.infer<typeof eligibilityFactsSchema>;
export type FactName = keyof EligibilityFacts;
export type FactValue = EligibilityFacts[FactName];

/** The zod enum of fact names; the rule-set schema uses it so an unknown fact fails at the schema. */
export const factNameSchema = eligibilityFactsSchema.keyof();
export const FACT_NAMES: readonly FactName[] = factNameSchema.options;

export type FactType = 'number' | 'boolean' | 'string' | 'enum' | 'string-array' | 'date';

type FactDescription = {
  description: string;
  source: string;
  /**
   * Why the fact is retired, when it is: it is still supplied, so versions published before keep
   * deciding as they did, but a draft may not name it (the validator refuses it).
   */
  retired?: string;
};
export type FactDefinition =
  | ({ type: Exclude<FactType, 'enum'> } & FactDescription)
  | ({ type: 'enum'; values: readonly string[] } & FactDescription);

// `satisfies Record<FactName, ...>` makes the compiler reject a catalog that misses or invents a fact.
export const factCatalog = {
  age: {
    type: 'number',
    description: 'Whole years of age on the evaluation date, exact to the day (17 years 364 days is 17).',
    source: 'Derived from dateOfBirth (Dukcapil) and evaluationDate.',
  },
  dateOfBirth: {
    type: 'date',
    description: 'Date of birth, YYYY-MM-DD.',
    source: 'Dukcapil (population and civil registry), by NIK.',
  },
  isStudent: {
    type: 'boolean',
    description: 'Currently enrolled in school or university.',
    source: 'Dapodik (Ministry of Education basic education data).',
  },
  socialAidPrograms: {
    type: 'string-array',
    description: 'Government social-assistance programs the person receives, e.g. ["PKH", "BPNT"]; empty when none.',
    source: 'DTKS (Ministry of Social Affairs integrated social welfare data).',
  },
  receivesSocialAid: {
    type: 'boolean',
    description: 'Receives at least one other social-assistance program.',
    source: 'Derived: socialAidPrograms is not empty.',
  },
  onLaidOffList: {
    type: 'boolean',
    description: 'Appears on the lists of laid-off (PHK) and sent-home (dirumahkan) workers; being listed is not a registration.',
    source: 'Ministry of Manpower (Kemnaker) lists collected from ministries, agencies and local governments.',
  },
  employmentStatus: {
    type: 'enum',
    values: EMPLOYMENT_STATUSES,
    description: 'Work situation as the applicant declares it.',
    source: 'Self-declared at registration.',
  },
  microBusinessLostIncome: {
    type: 'boolean',
    description: 'Owner of a micro or small business that lost its income; false when not declared.',
    source: 'Self-declared at registration.',
  },
  province: {
    type: 'string',
    description: 'Province of residence.',
    source: 'Dukcapil, by NIK.',
  },
  previousParticipations: {
    type: 'number',
    description: 'How many times the person has already received the program, in any program or year before this one (e.g. Kartu Prakerja 2020–2022, the 2023 scheme).',
    source: "The program management office's participation registry, by NIK.",
  },
  identityStatus: {
    type: 'enum',
    values: IDENTITY_STATUSES,
    description: 'Result of matching the NIK and identity data against the registry; always MATCH when the rules run.',
    source: 'Dukcapil NIK verification, in the journey before the rules run.',
    retired:
      'identity is verified with Dukcapil before the rules run (a journey without a MATCH ends REJECTED and never reaches them), so the rules only ever see MATCH and a condition on this fact can never change a decision',
  },
  channel: {
    type: 'enum',
    values: REGISTRATION_CHANNELS,
    description: 'SELF online, or ASSISTED by staff at a local government office.',
    source: 'Registration.',
  },
  evaluationDate: {
    type: 'date',
    description: 'The date the decision is made for, YYYY-MM-DD (an input: the engine never reads the clock).',
    source: 'Supplied by the caller (the journey workflow or a dry run).',
  },
} as const satisfies Record<FactName, FactDefinition>;

export function isFactName(name: unknown): name is FactName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(factCatalog, name);
}

/** Why a fact is retired, or undefined while it may be used in rules. */
export function retiredFactReason(fact: FactName): string | undefined {
  const definition: FactDefinition = factCatalog[fact];
  return definition.retired;
}

/**
 * Builds the facts from an input the caller has already validated (or typed, in bulk work).
 * Arrays are copied so a decision never aliases the caller's objects.
 */
export function deriveEligibilityFacts(input: EligibilityInput): EligibilityFacts {
  return {
    age: ageOnDate(input.dateOfBirth, input.evaluationDate),
    dateOfBirth: input.dateOfBirth,
    isStudent: input.isStudent,
    socialAidPrograms: [...input.socialAidPrograms],
    receivesSocialAid: input.socialAidPrograms.length > 0,
    onLaidOffList: input.onLaidOffList,
    employmentStatus: input.employmentStatus,
    microBusinessLostIncome: input.microBusinessLostIncome ?? false,
    province: input.province,
    previousParticipations: input.previousParticipations,
    identityStatus: input.identityStatus ?? 'MATCH',
    channel: input.channel,
    evaluationDate: input.evaluationDate,
  };
}
