import { registrationRequestSchema } from '../../../api/registrations/registration.schema';

// A woman born 1 July 1990 in Kabupaten Bogor: day 01 + 40 = 41.
const registration = {
  nik: '3201014107900001',
  fullName: 'Siti Aminah',
  dateOfBirth: '1990-07-01',
  email: 'siti.aminah@example.id',
  phone: '+6281234567890',
  province: 'Jawa Barat',
  employmentStatus: 'LAID_OFF',
};

const problems = (body: object) => {
  const result = registrationRequestSchema.safeParse(body);
  return Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]));
};

describe('registration request', () => {
  it('accepts a registration and fills in the defaults', () => {
    expect(registrationRequestSchema.parse(registration)).toEqual({ ...registration, microBusinessLostIncome: false, channel: 'SELF', noticeChannel: 'EMAIL', language: 'id' });
  });

  it('accepts a NIK whose date part differs from the declared birth date: Dukcapil decides', () => {
    expect(registrationRequestSchema.safeParse({ ...registration, dateOfBirth: '1985-12-24' }).success).toBe(true);
  });

  it('drops fields it does not know (no mass assignment)', () => {
    const parsed = registrationRequestSchema.parse({ ...registration, stage: 'COMPLETED', id: 'mine', trainingBalance: 9_000_000 });
    expect(Object.keys(parsed).sort()).toEqual(['channel', 'dateOfBirth', 'email', 'employmentStatus', 'fullName', 'language', 'microBusinessLostIncome', 'nik', 'noticeChannel', 'phone', 'province']);
  });

  it('takes the notice channel and the language the participant chose, and refuses others', () => {
    expect(registrationRequestSchema.parse({ ...registration, noticeChannel: 'SMS', language: 'en' })).toMatchObject({ noticeChannel: 'SMS', language: 'en' });
    const refused = registrationRequestSchema.safeParse({ ...registration, noticeChannel: 'PIGEON', language: 'fr' });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['language', 'noticeChannel']);
  });

  it.each([
    ['081234567890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['+62 812-3456-7890', '+6281234567890'],
  ])('normalises the mobile number %s', (phone, normalised) => {
    expect(registrationRequestSchema.parse({ ...registration, phone }).phone).toBe(normalised);
  });

  it.each([
    ['a NIK of 15 digits', { nik: '320101410790001' }, 'nik', 'must be 16 digits'],
    ['a NIK with month 13', { nik: '3201014113900001' }, 'nik', 'digits 7-12 must be a birth date DDMMYY (day + 40 for women)'],
    ['a NIK with day 35', { nik: '3201013507900001' }, 'nik', 'digits 7-12 must be a birth date DDMMYY (day + 40 for women)'],
    ['serial 0000', { nik: '3201014107900000' }, 'nik', 'the serial (last 4 digits) starts at 0001'],
    ['30 February', { dateOfBirth: '1990-02-30' }, 'dateOfBirth', 'is not a real date'],
    ['a birth date in the future', { dateOfBirth: '2999-01-01' }, 'dateOfBirth', 'must not be in the future'],
    ['a landline', { phone: '0215550100' }, 'phone', 'must be an Indonesian mobile number such as +6281234567890 or 081234567890'],
    ['a foreign number', { phone: '+14155550100' }, 'phone', 'must be an Indonesian mobile number such as +6281234567890 or 081234567890'],
    ['an email without a domain', { email: 'siti@' }, 'email', 'must be an email address'],
    ['a name of digits', { fullName: '12345' }, 'fullName', 'must contain letters, spaces and . , \' - only'],
    ['an unknown channel', { channel: 'KIOSK' }, 'channel', expect.any(String)],
  ])('refuses %s', (_what, change, field, message) => {
    expect(problems({ ...registration, ...change })).toEqual({ [field]: message });
  });

  it('accepts single names and names with punctuation', () => {
    for (const fullName of ['Sukarno', "Ni Luh Putu Ayu Dewi", "Muh. Rizal O'Neil", 'Siti Nurhaliza-Putri']) {
      expect(problems({ ...registration, fullName })).toEqual({});
    }
  });
});
