/** Common Indonesian given names and family/second names the synthetic population draws from. */

export const MALE_GIVEN_NAMES: readonly string[] = [
  'Agus', 'Ahmad', 'Andi', 'Arif', 'Bambang', 'Budi', 'Dedi', 'Dimas', 'Eko', 'Fajar',
  'Hadi', 'Hendra', 'Irfan', 'Joko', 'Kurniawan', 'Made', 'Muhammad', 'Nyoman', 'Rizky', 'Rudi',
  'Slamet', 'Sugeng', 'Teguh', 'Wahyu', 'Yusuf', 'Yudi', 'Bayu', 'Gilang', 'Hasan', 'Ilham',
  'Iwan', 'Putu', 'Rahmat', 'Ridwan', 'Sutrisno', 'Taufik', 'Usman', 'Wayan', 'Yoga', 'Zainal',
];

export const FEMALE_GIVEN_NAMES: readonly string[] = [
  'Siti', 'Dewi', 'Sri', 'Rina', 'Ayu', 'Putri', 'Nur', 'Indah', 'Lestari', 'Wulan',
  'Fitri', 'Ratna', 'Yuni', 'Rini', 'Dian', 'Intan', 'Nabila', 'Aisyah', 'Kartika', 'Maya',
  'Mega', 'Novi', 'Eka', 'Endang', 'Fatimah', 'Hana', 'Ika', 'Kadek', 'Lina', 'Nining',
  'Puspita', 'Rahayu', 'Sari', 'Tuti', 'Umi', 'Wati', 'Yanti', 'Zahra', 'Anisa', 'Desi',
];

/** Second names that suit either gender. */
export const SHARED_SECOND_NAMES: readonly string[] = [
  'Hidayat', 'Nugroho', 'Setiawan', 'Santoso', 'Wijaya', 'Siregar', 'Nasution', 'Simanjuntak', 'Harahap', 'Lubis',
  'Sinaga', 'Tanjung', 'Hasibuan', 'Purnomo', 'Gunawan', 'Hakim', 'Firmansyah', 'Ramadhan', 'Sulistyo', 'Utomo',
  'Permana', 'Halim', 'Pangaribuan', 'Manurung', 'Simatupang', 'Sitompul', 'Prasetyo', 'Haryanto', 'Susilo', 'Wibowo',
];

export const MALE_SECOND_NAMES: readonly string[] = ['Saputra', 'Pratama', 'Kusuma', 'Syahputra', 'Maulana', 'Nugraha'];

export const FEMALE_SECOND_NAMES: readonly string[] = ['Saputri', 'Rahmawati', 'Susanti', 'Wahyuni', 'Anggraini', 'Maharani'];
