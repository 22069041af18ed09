/** Dapodik (basic education data): whether a NIK belongs to someone currently in school or university. */
import { z } from 'zod';
import { OutsideSystemHttp, type OutsideSystemClientOptions } from './http';

const studentSchema = z.object({ nik: z.string(), isStudent: z.boolean() });

export class DapodikClient {
  private readonly http: OutsideSystemHttp;

  constructor(options: OutsideSystemClientOptions) {
    this.http = new OutsideSystemHttp('dapodik', options);
  }

  async isStudent(nik: string): Promise<boolean> {
    const response = await this.http.request({
      method: 'GET',
      path: `/dapodik/v1/students/${encodeURIComponent(nik)}`,
      responseSchema: studentSchema,
    });
    return response.body.isStudent;
  }
}
