/** Dukcapil (civil registry): verifies that a NIK exists and belongs to the name and birth date given. */
import { z } from 'zod';
import { OutsideSystemHttp, type OutsideSystemClientOptions } from './http';

const nikVerificationSchema = z.object({
  nik: z.string(),
  result: z.enum(['MATCH', 'MISMATCH', 'NOT_FOUND', 'DECEASED']),
  mismatchedFields: z.array(z.enum(['fullName', 'dateOfBirth'])),
  province: z.string().optional(),
  gender: z.enum(['M', 'F']).optional(),
});

export type NikVerification = z.infer<typeof nikVerificationSchema>;

export interface NikClaim {
  nik: string;
  fullName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
}

export class DukcapilClient {
  private readonly http: OutsideSystemHttp;

  constructor(options: OutsideSystemClientOptions) {
    this.http = new OutsideSystemHttp('dukcapil', options);
  }

  async verifyNik(claim: NikClaim): Promise<NikVerification> {
    const response = await this.http.request({
      method: 'POST',
      path: '/dukcapil/v1/nik-verifications',
      body: { nik: claim.nik, fullName: claim.fullName, dateOfBirth: claim.dateOfBirth },
      responseSchema: nikVerificationSchema,
    });
    return response.body;
  }
}
