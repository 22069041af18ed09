// The region codes (province, regency or city, district) the synthetic population's NIKs use.
import { PROVINCES } from '../lib/indonesia-provinces';

/** Districts per regency/city are chosen so each province's share of region codes follows its population. */
const DISTRICT_CODES_PER_MILLION_RESIDENTS = 20;
const MAX_DISTRICTS_PER_REGENCY = 60;

export interface RegionCode {
  /** Six digits: province, regency or city, district. */
  code: string;
  provinceName: string;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

function buildRegionCodes(): RegionCode[] {
  const regions: RegionCode[] = [];
  for (const province of PROVINCES) {
    const regencyCodes = [
      ...Array.from({ length: province.regencies }, (_, i) => twoDigits(i + 1)),
      ...Array.from({ length: province.cities }, (_, i) => twoDigits(71 + i)),
    ];
    const districtsPerRegency = Math.min(
      MAX_DISTRICTS_PER_REGENCY,
      Math.max(1, Math.round((province.populationMillions * DISTRICT_CODES_PER_MILLION_RESIDENTS) / regencyCodes.length)),
    );
    for (const regencyCode of regencyCodes) {
      for (let district = 1; district <= districtsPerRegency; district += 1) {
        regions.push({ code: `${province.code}${regencyCode}${twoDigits(district)}`, provinceName: province.name });
      }
    }
  }
  return regions;
}

/** Every region code the synthetic population uses, in a fixed order (the order is part of the NIK encoding). */
export const REGION_CODES: readonly RegionCode[] = buildRegionCodes();
