/**
 * The synthetic population Dukcapil, DTKS, Dapodik and Kemnaker answer from. Resident i is
 * a pure function of (seed, i), and a resident's NIK decodes back to i, so a population of
 * millions costs nothing at start-up and every lookup is O(1).
 *
 * NIK layout (16 digits): region code (province 2, regency 2, district 2), birth date DDMMYY
 * with DD + 40 for women, serial 0001..0100. The tuple (region, birth date, gender, serial)
 * is a mixed-radix number; a keyed permutation scatters resident indices over that space.
 */
import { MALE_GIVEN_NAMES, FEMALE_GIVEN_NAMES, SHARED_SECOND_NAMES, MALE_SECOND_NAMES, FEMALE_SECOND_NAMES } from './indonesian-names';
import { REGION_CODES } from './indonesia-regions';
import { KeyedPermutation, hash32, hashFraction } from './seeded-hash';

export type Gender = 'M' | 'F';

export interface Resident {
  nik: string;
  fullName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  gender: Gender;
  province: string;
  isStudent: boolean;
  socialAid: string[];
  onLaidOffList: boolean;
  deceased: boolean;
}

/** Ages are fixed relative to the day Wave 1 opened (11 April 2020), so the population never drifts. */
export const POPULATION_REFERENCE_DATE = '2020-04-11';
export const MIN_AGE = 15;
export const MAX_AGE = 70;
export const SOCIAL_AID_PROGRAMS = ['PKH', 'BPNT', 'BLT'] as const;

const SERIALS_PER_BIRTH_GROUP = 100;
const DAY_MS = 24 * 60 * 60 * 1000;
const REFERENCE_YEAR = 2020;
const REFERENCE_MONTH_INDEX = 3; // April
const REFERENCE_DAY = 11;
/** Born on this day, a resident is MAX_AGE on the reference date; a day earlier they would be MAX_AGE + 1. */
const EARLIEST_BIRTH_MS = Date.UTC(REFERENCE_YEAR - MAX_AGE - 1, REFERENCE_MONTH_INDEX, REFERENCE_DAY + 1);
const LATEST_BIRTH_MS = Date.UTC(REFERENCE_YEAR - MIN_AGE, REFERENCE_MONTH_INDEX, REFERENCE_DAY);
const BIRTH_DAYS = Math.round((LATEST_BIRTH_MS - EARLIEST_BIRTH_MS) / DAY_MS) + 1;
/** Women's birth day in a NIK is the day of the month plus 40. */
const FEMALE_DAY_OFFSET = 40;

const REGION_INDEX_BY_CODE = new Map(REGION_CODES.map((region, index) => [region.code, index]));

/** How many distinct NIKs the encoding can produce: the ceiling on the population size. */
export const POPULATION_CAPACITY = REGION_CODES.length * BIRTH_DAYS * 2 * SERIALS_PER_BIRTH_GROUP;

/**
 * Attribute salts: each attribute hashes (seed, index, salt) so attributes are independent. The
 * other systems seeded from the population (participation-registry.ts) take theirs from here too.
 */
export const ATTRIBUTE_SALTS = {
  permutation: 1,
  givenName: 2,
  secondName: 3,
  familyName: 4,
  nameShape: 5,
  student: 6,
  socialAid: 7,
  socialAidFirstProgram: 8,
  socialAidSecondProgram: 9,
  laidOff: 10,
  deceased: 11,
  pastParticipation: 12,
  pastParticipationProgram: 13,
  pastParticipationWave: 14,
} as const;

/** Shares chosen to look like the 2020 applicant pool, not to match any statistic exactly. */
const STUDENT_SHARE_UNDER_25 = 0.15;
const STUDENT_AGE_LIMIT = 25;
const SOCIAL_AID_SHARE = 0.3;
const SECOND_AID_PROGRAM_SHARE = 0.3;
const LAID_OFF_SHARE_OF_ADULT_NON_STUDENTS = 0.1;
const ADULT_AGE = 18;
const DECEASED_SHARE = 0.005;
const SINGLE_NAME_SHARE = 0.25;
const THREE_PART_NAME_SHARE = 0.15;

interface NikParts {
  regionIndex: number;
  birthDayOffset: number;
  gender: Gender;
  /** 1..SERIALS_PER_BIRTH_GROUP */
  serial: number;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** The item a uniform fraction in [0, 1) falls on. */
export function pick<T>(items: readonly T[], fraction: number): T {
  const item = items[Math.floor(fraction * items.length)];
  if (item === undefined) {
    throw new Error('pick from an empty list');
  }
  return item;
}

function ageOnReferenceDate(birth: Date): number {
  const hadBirthdayThisYear =
    birth.getUTCMonth() < REFERENCE_MONTH_INDEX ||
    (birth.getUTCMonth() === REFERENCE_MONTH_INDEX && birth.getUTCDate() <= REFERENCE_DAY);
  return REFERENCE_YEAR - birth.getUTCFullYear() - (hadBirthdayThisYear ? 0 : 1);
}

function encodeNik(parts: NikParts): string {
  const region = REGION_CODES[parts.regionIndex];
  if (region === undefined) {
    throw new Error('region index out of range');
  }
  const birth = new Date(EARLIEST_BIRTH_MS + parts.birthDayOffset * DAY_MS);
  const day = birth.getUTCDate() + (parts.gender === 'F' ? FEMALE_DAY_OFFSET : 0);
  return (
    region.code +
    pad(day, 2) +
    pad(birth.getUTCMonth() + 1, 2) +
    pad(birth.getUTCFullYear() % 100, 2) +
    pad(parts.serial, 4)
  );
}

/** Undefined when the NIK cannot have come from the population encoding. */
function decodeNik(nik: string): NikParts | undefined {
  if (!/^\d{16}$/.test(nik)) {
    return undefined;
  }
  const regionIndex = REGION_INDEX_BY_CODE.get(nik.slice(0, 6));
  if (regionIndex === undefined) {
    return undefined;
  }
  const encodedDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const twoDigitYear = Number(nik.slice(10, 12));
  const serial = Number(nik.slice(12, 16));
  const gender: Gender = encodedDay > FEMALE_DAY_OFFSET ? 'F' : 'M';
  const day = gender === 'F' ? encodedDay - FEMALE_DAY_OFFSET : encodedDay;
  // Birth years span 1949..2005, so a two-digit year is unambiguous around the reference year.
  const year = twoDigitYear <= REFERENCE_YEAR % 100 ? 2000 + twoDigitYear : 1900 + twoDigitYear;
  const birthMs = Date.UTC(year, month - 1, day);
  const birth = new Date(birthMs);
  const isRealDate = birth.getUTCFullYear() === year && birth.getUTCMonth() === month - 1 && birth.getUTCDate() === day;
  if (!isRealDate || day < 1 || serial < 1 || serial > SERIALS_PER_BIRTH_GROUP) {
    return undefined;
  }
  const birthDayOffset = Math.round((birthMs - EARLIEST_BIRTH_MS) / DAY_MS);
  if (birthDayOffset < 0 || birthDayOffset >= BIRTH_DAYS) {
    return undefined;
  }
  return { regionIndex, birthDayOffset, gender, serial };
}

function partsToCode(parts: NikParts): number {
  const genderDigit = parts.gender === 'F' ? 1 : 0;
  return ((parts.regionIndex * BIRTH_DAYS + parts.birthDayOffset) * 2 + genderDigit) * SERIALS_PER_BIRTH_GROUP + (parts.serial - 1);
}

function codeToParts(code: number): NikParts {
  const serial = (code % SERIALS_PER_BIRTH_GROUP) + 1;
  const withoutSerial = Math.floor(code / SERIALS_PER_BIRTH_GROUP);
  const gender: Gender = withoutSerial % 2 === 1 ? 'F' : 'M';
  const withoutGender = Math.floor(withoutSerial / 2);
  return {
    birthDayOffset: withoutGender % BIRTH_DAYS,
    regionIndex: Math.floor(withoutGender / BIRTH_DAYS),
    gender,
    serial,
  };
}

export class SyntheticPopulation {
  private readonly permutation: KeyedPermutation;

  constructor(
    readonly seed: number,
    readonly size: number,
  ) {
    if (!Number.isSafeInteger(size) || size < 1 || size > POPULATION_CAPACITY) {
      throw new RangeError(`population size must be an integer in 1..${POPULATION_CAPACITY}`);
    }
    this.permutation = new KeyedPermutation(POPULATION_CAPACITY, hash32(seed, ATTRIBUTE_SALTS.permutation));
  }

  /** The resident at an index in 0..size-1. */
  residentAt(index: number): Resident {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError('resident index outside the population');
    }
    const parts = codeToParts(this.permutation.forward(index));
    const region = REGION_CODES[parts.regionIndex];
    if (region === undefined) {
      throw new Error('region index out of range');
    }
    const birth = new Date(EARLIEST_BIRTH_MS + parts.birthDayOffset * DAY_MS);
    const age = ageOnReferenceDate(birth);
    const isStudent = age < STUDENT_AGE_LIMIT && this.fraction(index, ATTRIBUTE_SALTS.student) < STUDENT_SHARE_UNDER_25;
    return {
      nik: encodeNik(parts),
      fullName: this.fullName(index, parts.gender),
      dateOfBirth: birth.toISOString().slice(0, 10),
      gender: parts.gender,
      province: region.provinceName,
      isStudent,
      socialAid: this.socialAid(index),
      onLaidOffList:
        age >= ADULT_AGE && !isStudent && this.fraction(index, ATTRIBUTE_SALTS.laidOff) < LAID_OFF_SHARE_OF_ADULT_NON_STUDENTS,
      deceased: this.fraction(index, ATTRIBUTE_SALTS.deceased) < DECEASED_SHARE,
    };
  }

  /** The index of the resident holding this NIK, or undefined when no generated resident does. */
  indexOfNik(nik: string): number | undefined {
    const parts = decodeNik(nik);
    if (parts === undefined) {
      return undefined;
    }
    const index = this.permutation.inverse(partsToCode(parts));
    return index < this.size ? index : undefined;
  }

  residentByNik(nik: string): Resident | undefined {
    const index = this.indexOfNik(nik);
    return index === undefined ? undefined : this.residentAt(index);
  }

  private fraction(index: number, salt: number): number {
    return hashFraction(this.seed, index, salt);
  }

  private fullName(index: number, gender: Gender): string {
    const givenNames = gender === 'F' ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES;
    const secondNames = [...SHARED_SECOND_NAMES, ...(gender === 'F' ? FEMALE_SECOND_NAMES : MALE_SECOND_NAMES)];
    const given = pick(givenNames, this.fraction(index, ATTRIBUTE_SALTS.givenName));
    const shape = this.fraction(index, ATTRIBUTE_SALTS.nameShape);
    if (shape < SINGLE_NAME_SHARE) {
      return given;
    }
    const second = pick(secondNames, this.fraction(index, ATTRIBUTE_SALTS.secondName));
    if (shape < 1 - THREE_PART_NAME_SHARE) {
      return `${given} ${second}`;
    }
    const family = pick(SHARED_SECOND_NAMES, this.fraction(index, ATTRIBUTE_SALTS.familyName));
    return family === second ? `${given} ${second}` : `${given} ${second} ${family}`;
  }

  private socialAid(index: number): string[] {
    if (this.fraction(index, ATTRIBUTE_SALTS.socialAid) >= SOCIAL_AID_SHARE) {
      return [];
    }
    const first = pick(SOCIAL_AID_PROGRAMS, this.fraction(index, ATTRIBUTE_SALTS.socialAidFirstProgram));
    if (this.fraction(index, ATTRIBUTE_SALTS.socialAidSecondProgram) >= SECOND_AID_PROGRAM_SHARE) {
      return [first];
    }
    const others = SOCIAL_AID_PROGRAMS.filter((program) => program !== first);
    return [first, pick(others, this.fraction(index, ATTRIBUTE_SALTS.socialAidSecondProgram) / SECOND_AID_PROGRAM_SHARE)];
  }
}
