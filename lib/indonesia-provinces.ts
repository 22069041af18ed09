/**
 * Indonesia's 34 provinces as of 2020, with their Kemendagri codes (the first two NIK digits;
 * BPS, the statistics office, numbers Papua and Papua Barat differently), the number of regencies
 * (kabupaten, codes 01..) and cities (kota, codes 71..), and the 2020 census population in
 * millions. Pure, so the console lists the same provinces the simulated registries use.
 */

export interface Province {
  code: string;
  name: string;
  regencies: number;
  cities: number;
  populationMillions: number;
}

export const PROVINCES: readonly Province[] = [
  { code: '11', name: 'Aceh', regencies: 18, cities: 5, populationMillions: 5.27 },
  { code: '12', name: 'Sumatera Utara', regencies: 25, cities: 8, populationMillions: 14.8 },
  { code: '13', name: 'Sumatera Barat', regencies: 12, cities: 7, populationMillions: 5.53 },
  { code: '14', name: 'Riau', regencies: 10, cities: 2, populationMillions: 6.39 },
  { code: '15', name: 'Jambi', regencies: 9, cities: 2, populationMillions: 3.55 },
  { code: '16', name: 'Sumatera Selatan', regencies: 13, cities: 4, populationMillions: 8.47 },
  { code: '17', name: 'Bengkulu', regencies: 9, cities: 1, populationMillions: 2.01 },
  { code: '18', name: 'Lampung', regencies: 13, cities: 2, populationMillions: 9.01 },
  { code: '19', name: 'Kepulauan Bangka Belitung', regencies: 6, cities: 1, populationMillions: 1.46 },
  { code: '21', name: 'Kepulauan Riau', regencies: 5, cities: 2, populationMillions: 2.06 },
  { code: '31', name: 'DKI Jakarta', regencies: 1, cities: 5, populationMillions: 10.56 },
  { code: '32', name: 'Jawa Barat', regencies: 18, cities: 9, populationMillions: 48.27 },
  { code: '33', name: 'Jawa Tengah', regencies: 29, cities: 6, populationMillions: 36.52 },
  { code: '34', name: 'DI Yogyakarta', regencies: 4, cities: 1, populationMillions: 3.67 },
  { code: '35', name: 'Jawa Timur', regencies: 29, cities: 9, populationMillions: 40.67 },
  { code: '36', name: 'Banten', regencies: 4, cities: 4, populationMillions: 11.9 },
  { code: '51', name: 'Bali', regencies: 8, cities: 1, populationMillions: 4.32 },
  { code: '52', name: 'Nusa Tenggara Barat', regencies: 8, cities: 2, populationMillions: 5.32 },
  { code: '53', name: 'Nusa Tenggara Timur', regencies: 21, cities: 1, populationMillions: 5.33 },
  { code: '61', name: 'Kalimantan Barat', regencies: 12, cities: 2, populationMillions: 5.41 },
  { code: '62', name: 'Kalimantan Tengah', regencies: 13, cities: 1, populationMillions: 2.67 },
  { code: '63', name: 'Kalimantan Selatan', regencies: 11, cities: 2, populationMillions: 4.07 },
  { code: '64', name: 'Kalimantan Timur', regencies: 7, cities: 3, populationMillions: 3.77 },
  { code: '65', name: 'Kalimantan Utara', regencies: 4, cities: 1, populationMillions: 0.7 },
  { code: '71', name: 'Sulawesi Utara', regencies: 11, cities: 4, populationMillions: 2.62 },
  { code: '72', name: 'Sulawesi Tengah', regencies: 12, cities: 1, populationMillions: 2.99 },
  { code: '73', name: 'Sulawesi Selatan', regencies: 21, cities: 3, populationMillions: 9.07 },
  { code: '74', name: 'Sulawesi Tenggara', regencies: 15, cities: 2, populationMillions: 2.62 },
  { code: '75', name: 'Gorontalo', regencies: 5, cities: 1, populationMillions: 1.17 },
  { code: '76', name: 'Sulawesi Barat', regencies: 6, cities: 0, populationMillions: 1.42 },
  { code: '81', name: 'Maluku', regencies: 9, cities: 2, populationMillions: 1.85 },
  { code: '82', name: 'Maluku Utara', regencies: 8, cities: 2, populationMillions: 1.28 },
  { code: '91', name: 'Papua', regencies: 28, cities: 1, populationMillions: 4.3 },
  { code: '92', name: 'Papua Barat', regencies: 12, cities: 1, populationMillions: 1.13 },
];

const PROVINCE_NAME_BY_CODE = new Map(PROVINCES.map((province) => [province.code, province.name]));

/** The province named by a NIK's first two digits, or undefined when no province has that code. */
export function provinceNameForNik(nik: string): string | undefined {
  return PROVINCE_NAME_BY_CODE.get(nik.slice(0, 2));
}
