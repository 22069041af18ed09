// The personal fields a registrant gives (registration, identity correction). Messages never
// repeat the value: validation errors are returned to the caller and may be logged.
import { z } from 'zod';
import { programDateAt } from '../lib/program-day';

// NIK: region code (6), birth date DDMMYY with DD + 40 for women (6), serial from 0001 (4). It has
// no check digit, and Dukcapil is the authority on whether it exists and whose it is; only a
// shape no NIK can have is refused here. A date part that differs from the declared birth date
// is NOT refused: NIKs are never reissued, so the registry's NIK stands even where it is "wrong".
export const nikSchema = z
  .string()
  .regex(/^\d{16}$/, 'must be 16 digits')
  .superRefine((nik, ctx) => {
    const day = Number(nik.slice(6, 8));
    const month = Number(nik.slice(8, 10));
    const serial = Number(nik.slice(12, 16));
    const dayIsPossible = (day >= 1 && day <= 31) || (day >= 41 && day <= 71);
    if (!dayIsPossible || month < 1 || month > 12) ctx.addIssue({ code: 'custom', message: 'digits 7-12 must be a birth date DDMMYY (day + 40 for women)' });
    if (serial === 0) ctx.addIssue({ code: 'custom', message: 'the serial (last 4 digits) starts at 0001' });
  })
  .meta({ description: 'Nomor Induk Kependudukan, 16 digits', example: '3201014107900001' });

export const fullNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(100, 'must be at most 100 characters')
  // Letters of any script, spaces and the punctuation names carry; many Indonesians have one name only.
  .regex(/^[\p{L}\p{M}][\p{L}\p{M} .,'’-]*$/u, 'must contain letters, spaces and . , \' - only')
  .meta({ example: 'Siti Aminah' });

/** YYYY-MM-DD, a date that exists, not after today (in WIB, the program's day). Age rules belong to the rules engine. */
export const dateOfBirthSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .superRefine((value, ctx) => {
    const [year, month, day] = value.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      ctx.addIssue({ code: 'custom', message: 'is not a real date' });
    } else if (year < 1900) {
      ctx.addIssue({ code: 'custom', message: 'must not be before 1900' });
    } else if (value > programDateAt(new Date())) {
      ctx.addIssue({ code: 'custom', message: 'must not be in the future' });
    }
  })
  .meta({ example: '1990-07-01' });

export const emailSchema = z.string().trim().max(254, 'must be at most 254 characters').pipe(z.email('must be an email address')).meta({ example: 'siti.aminah@example.id' });

/** Indonesian mobile numbers (+62 8…, 62 8… or 08…), stored as +628…. Spaces and dashes are ignored. */
export const indonesianMobileSchema = z
  .string()
  .transform((value) => value.replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^(?:\+62|62|0)8[1-9]\d{6,10}$/, 'must be an Indonesian mobile number such as +6281234567890 or 081234567890'))
  .transform((value) => `+62${value.replace(/^(?:\+62|62|0)/, '')}`)
  .meta({ example: '+6281234567890' });
