/**
 * The program management office's participation registry: who has received the program
 * before, in any program or year (Kartu Prakerja 2020–2022, the 2023 scheme).
 */
import { z } from 'zod';
import { OutsideSystemHttp, type OutsideSystemClientOptions } from './http';

const pastParticipationSchema = z.object({ program: z.string(), year: z.int(), wave: z.int() });
const participationsSchema = z.object({ nik: z.string(), participations: z.array(pastParticipationSchema) });

export type PastParticipation = z.infer<typeof pastParticipationSchema>;

export class ParticipationRegistryClient {
  private readonly http: OutsideSystemHttp;

  constructor(options: OutsideSystemClientOptions) {
    this.http = new OutsideSystemHttp('participation-registry', options);
  }

  /** Every past participation of the NIK; empty when the person never took part. */
  async findPastParticipations(nik: string): Promise<PastParticipation[]> {
    const response = await this.http.request({
      method: 'GET',
      path: `/participation-registry/v1/participations/${encodeURIComponent(nik)}`,
      responseSchema: participationsSchema,
    });
    return response.body.participations;
  }
}
