/** The partner training platforms' course catalog (courses and prices in whole rupiah). */
import { z } from 'zod';
import { OutsideSystemHttp, type OutsideSystemClientOptions } from './http';

const catalogSchema = z.array(
  z.object({
    platformId: z.string().min(1),
    courseId: z.string().min(1),
    title: z.string(),
    price: z.number().int().positive(),
  }),
);

export type CatalogCourse = z.infer<typeof catalogSchema>[number];

export class TrainingPlatformClient {
  private readonly http: OutsideSystemHttp;

  constructor(options: OutsideSystemClientOptions) {
    this.http = new OutsideSystemHttp('training', options);
  }

  async listCatalog(): Promise<CatalogCourse[]> {
    const response = await this.http.request({
      method: 'GET',
      path: '/sim/training/catalog',
      responseSchema: catalogSchema,
    });
    return response.body;
  }
}
