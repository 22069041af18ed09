import { Router } from 'express';
import type { Authorize } from '../authorization';
import { parseBody } from '../request-validation';
import { registrationRequestSchema } from './registration.schema';
import type { RegistrationService } from './registration.service';

export function createRegistrationsRouter({ registrations, authorize }: { registrations: RegistrationService; authorize: Authorize }): Router {
  const router = Router();

  router.post('/', authorize('POST /v1/registrations'), async (req, res) => {
    const request = parseBody(registrationRequestSchema, req);
    res.status(202).json(await registrations.register(request));
  });

  return router;
}
