/** Kemnaker (Ministry of Manpower): whether a NIK is on the collected lists of laid-off or sent-home workers. */
import { z } from 'zod';
import { OutsideSystemHttp, type OutsideSystemClientOptions } from './http';

const laidOffWorkerSchema = z.object({ nik: z.string(), onList: z.boolean() });

export class KemnakerClient {
  private readonly http: OutsideSystemHttp;

  constructor(options: OutsideSystemClientOptions) {
    this.http = new OutsideSystemHttp('kemnaker', options);
  }

  async isOnLaidOffList(nik: string): Promise<boolean> {
    const response = await this.http.request({
      method: 'GET',
      path: `/kemnaker/v1/laid-off-workers/${encodeURIComponent(nik)}`,
      responseSchema: laidOffWorkerSchema,
    });
    return response.body.onList;
  }
}
