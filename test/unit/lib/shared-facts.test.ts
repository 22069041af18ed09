// The database's enums cannot be derived from the code's lists (Prisma reads its own schema file),
// so they are held to them here; and the program's day is WIB's.
import { EmploymentStatus, RegistrationChannel, WaveState } from '../../../generated/prisma/enums';
import { programDateAt, startOfProgramDay } from '../../../lib/program-day';
import { WAVE_STATES } from '../../../lib/wave-state';
import { EMPLOYMENT_STATUSES, REGISTRATION_CHANNELS } from '../../../rules';

describe('the database enums', () => {
  it.each([
    ['EmploymentStatus', EmploymentStatus, EMPLOYMENT_STATUSES],
    ['RegistrationChannel', RegistrationChannel, REGISTRATION_CHANNELS],
    ['WaveState', WaveState, WAVE_STATES],
  ])('%s lists the same values as the code', (_name, databaseEnum, list) => {
    expect(Object.values(databaseEnum)).toEqual([...list]);
  });
});

describe('the program day', () => {
  it('begins at midnight WIB, 17:00 UTC the day before', () => {
    expect(startOfProgramDay('2020-04-11').toISOString()).toBe('2020-04-10T17:00:00.000Z');
    expect(programDateAt(new Date('2020-04-10T16:59:59.999Z'))).toBe('2020-04-10');
    expect(programDateAt(new Date('2020-04-10T17:00:00.000Z'))).toBe('2020-04-11');
  });
});
