/** DTKS (integrated social welfare data): the social-assistance programs a NIK already receives. */
import { z } from 'zod';
import { OutsideSystemHttp, type OutsideSystemClientOptions } from './http';

const recipientSchema = z.object({ nik: z.string(), programs: z.array(z.string()) });

export class DtksClient {
  private readonly http: OutsideSystemHttp;

  constructor(options: OutsideSystemClientOptions) {
    this.http = new OutsideSystemHttp('dtks', options);
  }

  /** Program codes such as PKH, BPNT, BLT; empty when the person receives none. */
  async findSocialAidPrograms(nik: string): Promise<string[]> {
    const response = await this.http.request({
      method: 'GET',
      path: `/dtks/v1/recipients/${encodeURIComponent(nik)}`,
      responseSchema: recipientSchema,
    });
    return response.body.programs;
  }
}
