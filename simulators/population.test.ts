import fc from 'fast-check';
import { KeyedPermutation } from './seeded-hash';
import { MAX_AGE, MIN_AGE, POPULATION_CAPACITY, SyntheticPopulation } from './population';

describe('synthetic population', () => {
  const population = new SyntheticPopulation(2020, 1_000_000);

  it('is a pure function of seed and index', () => {
    const again = new SyntheticPopulation(2020, 1_000_000);
    for (const index of [0, 1, 17, 999_999]) {
      expect(again.residentAt(index)).toEqual(population.residentAt(index));
    }
    const otherSeed = new SyntheticPopulation(2021, 1_000_000);
    expect(otherSeed.residentAt(0).nik).not.toBe(population.residentAt(0).nik);
  });

  it('decodes every generated NIK back to its index', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), (index) => {
        expect(population.indexOfNik(population.residentAt(index).nik)).toBe(index);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes NIKs in the real format: region, DDMMYY with women +40, serial from 0001', () => {
    const misfits: string[] = [];
    for (let index = 0; index < 5000; index += 1) {
      const { nik, dateOfBirth, gender } = population.residentAt(index);
      const [year = '', month = '', day = ''] = dateOfBirth.split('-');
      const expectedDay = String(Number(day) + (gender === 'F' ? 40 : 0)).padStart(2, '0');
      const province = Number(nik.slice(0, 2));
      const wellFormed =
        /^\d{16}$/.test(nik) &&
        province >= 11 &&
        province <= 92 &&
        nik.slice(6, 12) === `${expectedDay}${month}${year.slice(2)}` &&
        Number(nik.slice(12)) >= 1;
      if (!wellFormed) {
        misfits.push(`${index}: ${nik} ${dateOfBirth} ${gender}`);
      }
    }
    expect(misfits).toEqual([]);
    const women = [0, 1, 2, 3, 4, 5, 6, 7].map((index) => population.residentAt(index)).filter((r) => r.gender === 'F');
    expect(women.length).toBeGreaterThan(0);
    for (const woman of women) {
      expect(Number(woman.nik.slice(6, 8))).toBeGreaterThan(40);
    }
  });

  it('gives Papua and Papua Barat their Kemendagri codes, 91 and 92', () => {
    const codesByProvince = new Map<string, Set<string>>();
    for (let index = 0; index < 50_000; index += 1) {
      const { nik, province } = population.residentAt(index);
      if (province !== 'Papua' && province !== 'Papua Barat') continue;
      codesByProvince.set(province, (codesByProvince.get(province) ?? new Set()).add(nik.slice(0, 2)));
      expect(population.residentByNik(nik)?.province).toBe(province);
    }
    expect(Object.fromEntries([...codesByProvince].map(([province, codes]) => [province, [...codes]]))).toEqual({ Papua: ['91'], 'Papua Barat': ['92'] });
  });

  it('does not know NIKs it never generated', () => {
    for (const nik of ['0000000000000000', '9999999999999999', '3201013213990001', '1234', 'abcdefghijklmnop']) {
      expect(population.residentByNik(nik)).toBeUndefined();
    }
    // A smaller population with the same seed knows its first residents and nobody beyond its size.
    const small = new SyntheticPopulation(2020, 10);
    expect(small.indexOfNik(population.residentAt(3).nik)).toBe(3);
    expect(small.indexOfNik(population.residentAt(500_000).nik)).toBeUndefined();
  });

  it('has plausible ages and shares of students, social aid, laid-off workers and deceased', () => {
    const sampleSize = 50_000;
    const counts = { studentsUnder24: 0, under24: 0, onAid: 0, laidOff: 0, deceased: 0, women: 0 };
    let youngestBirthYear = 0;
    let oldestBirthYear = 3000;
    for (let index = 0; index < sampleSize; index += 1) {
      const resident = population.residentAt(index);
      const birthYear = Number(resident.dateOfBirth.slice(0, 4));
      youngestBirthYear = Math.max(youngestBirthYear, birthYear);
      oldestBirthYear = Math.min(oldestBirthYear, birthYear);
      if (birthYear > 2020 - 24) {
        counts.under24 += 1;
        counts.studentsUnder24 += resident.isStudent ? 1 : 0;
      }
      counts.onAid += resident.socialAid.length > 0 ? 1 : 0;
      counts.laidOff += resident.onLaidOffList ? 1 : 0;
      counts.deceased += resident.deceased ? 1 : 0;
      counts.women += resident.gender === 'F' ? 1 : 0;
    }
    expect(youngestBirthYear).toBe(2020 - MIN_AGE);
    expect(oldestBirthYear).toBe(2020 - MAX_AGE - 1);
    expect(counts.studentsUnder24 / counts.under24).toBeCloseTo(0.15, 1);
    expect(counts.onAid / sampleSize).toBeCloseTo(0.3, 1);
    expect(counts.laidOff / sampleSize).toBeGreaterThan(0.07);
    expect(counts.laidOff / sampleSize).toBeLessThan(0.12);
    expect(counts.deceased / sampleSize).toBeGreaterThan(0.003);
    expect(counts.deceased / sampleSize).toBeLessThan(0.008);
    expect(counts.women / sampleSize).toBeCloseTo(0.5, 1);
  });

  it('starts a population of a million (or fifty million) instantly', () => {
    const started = performance.now();
    const big = new SyntheticPopulation(7, 50_000_000);
    const last = big.residentAt(49_999_999);
    expect(big.indexOfNik(last.nik)).toBe(49_999_999);
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('refuses sizes the NIK encoding cannot hold', () => {
    expect(() => new SyntheticPopulation(1, POPULATION_CAPACITY + 1)).toThrow(RangeError);
    expect(() => new SyntheticPopulation(1, 0)).toThrow(RangeError);
  });
});

describe('KeyedPermutation', () => {
  it('is a bijection of its domain', () => {
    for (const domainSize of [1, 2, 7, 1000, 4096]) {
      const permutation = new KeyedPermutation(domainSize, 99);
      const images = new Set<number>();
      for (let value = 0; value < domainSize; value += 1) {
        const image = permutation.forward(value);
        expect(image).toBeLessThan(domainSize);
        expect(permutation.inverse(image)).toBe(value);
        images.add(image);
      }
      expect(images.size).toBe(domainSize);
    }
  });
});
