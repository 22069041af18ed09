/** The partner training platforms of 2020 and a few courses each, priced in whole rupiah. */

export interface CatalogCourse {
  platformId: string;
  courseId: string;
  title: string;
  /** Rupiah, between 100,000 and 1,000,000: a course must fit the Rp 1,000,000 training balance. */
  price: number;
}

export const TRAINING_PLATFORMS: readonly { platformId: string; name: string }[] = [
  { platformId: 'tokopedia', name: 'Tokopedia' },
  { platformId: 'skill-academy', name: 'Skill Academy by Ruangguru' },
  { platformId: 'maubelajarapa', name: 'MauBelajarApa' },
  { platformId: 'bukalapak', name: 'Bukalapak' },
  { platformId: 'pintaria', name: 'Pintaria' },
  { platformId: 'sekolahmu', name: 'Sekolahmu' },
  { platformId: 'pijar-mahir', name: 'Pijar Mahir' },
  { platformId: 'sisnaker', name: 'Sisnaker' },
];

export const TRAINING_CATALOG: readonly CatalogCourse[] = [
  { platformId: 'tokopedia', courseId: 'tokopedia-jualan-online-pemula', title: 'Jualan Online untuk Pemula', price: 150_000 },
  { platformId: 'tokopedia', courseId: 'tokopedia-foto-produk', title: 'Foto Produk dengan Ponsel', price: 200_000 },
  { platformId: 'tokopedia', courseId: 'tokopedia-manajemen-toko', title: 'Manajemen Toko Online', price: 450_000 },
  { platformId: 'skill-academy', courseId: 'skill-academy-digital-marketing', title: 'Digital Marketing untuk UMKM', price: 500_000 },
  { platformId: 'skill-academy', courseId: 'skill-academy-excel-kerja', title: 'Microsoft Excel untuk Dunia Kerja', price: 300_000 },
  { platformId: 'skill-academy', courseId: 'skill-academy-bahasa-inggris', title: 'Bahasa Inggris untuk Wawancara Kerja', price: 750_000 },
  { platformId: 'maubelajarapa', courseId: 'maubelajarapa-kue-rumahan', title: 'Membuat Kue Rumahan untuk Dijual', price: 250_000 },
  { platformId: 'maubelajarapa', courseId: 'maubelajarapa-menjahit', title: 'Dasar Menjahit Pakaian', price: 400_000 },
  { platformId: 'maubelajarapa', courseId: 'maubelajarapa-barista', title: 'Barista Kopi Nusantara', price: 900_000 },
  { platformId: 'bukalapak', courseId: 'bukalapak-warung-digital', title: 'Warung Digital dan Pembukuan', price: 175_000 },
  { platformId: 'bukalapak', courseId: 'bukalapak-reseller', title: 'Menjadi Reseller Sukses', price: 350_000 },
  { platformId: 'pintaria', courseId: 'pintaria-akuntansi-dasar', title: 'Akuntansi Dasar untuk Usaha Kecil', price: 600_000 },
  { platformId: 'pintaria', courseId: 'pintaria-desain-grafis', title: 'Desain Grafis dengan Aplikasi Gratis', price: 800_000 },
  { platformId: 'sekolahmu', courseId: 'sekolahmu-public-speaking', title: 'Public Speaking dan Presentasi', price: 275_000 },
  { platformId: 'sekolahmu', courseId: 'sekolahmu-pemrograman-web', title: 'Pemrograman Web untuk Pemula', price: 1_000_000 },
  { platformId: 'pijar-mahir', courseId: 'pijar-mahir-teknisi-ponsel', title: 'Teknisi Servis Ponsel', price: 650_000 },
  { platformId: 'pijar-mahir', courseId: 'pijar-mahir-ojek-online', title: 'Pelayanan Prima untuk Pengemudi Ojek Daring', price: 100_000 },
  { platformId: 'sisnaker', courseId: 'sisnaker-k3-dasar', title: 'Keselamatan dan Kesehatan Kerja (K3) Dasar', price: 225_000 },
  { platformId: 'sisnaker', courseId: 'sisnaker-las-listrik', title: 'Dasar Pengelasan Listrik', price: 950_000 },
];

export function findCourse(platformId: string, courseId: string): CatalogCourse | undefined {
  return TRAINING_CATALOG.find((course) => course.platformId === platformId && course.courseId === courseId);
}
