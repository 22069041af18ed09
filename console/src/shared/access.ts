// What each role may do in the console: the API routes it calls, with the roles the API lets
// through. The compiler holds this table to the API's own (ROUTE_ACCESS), so a screen is shown
// exactly to those whose calls the API would accept.
import type { ROUTE_ACCESS, RouteKey } from '../../../api/authorization';
import type { ConsoleRole } from './session';

type ApiRolesOf<Route extends RouteKey> = (typeof ROUTE_ACCESS)[Route] extends { roles: readonly (infer Role)[] } ? Role : never;

const CONSOLE_ROUTES = {
  'GET /v1/rule-sets': ['program-manager', 'operator', 'auditor'],
  'POST /v1/rule-sets': ['program-manager'],
  'GET /v1/rule-sets/:id': ['program-manager', 'operator', 'auditor'],
  'PUT /v1/rule-sets/:id': ['program-manager'],
  'POST /v1/rule-sets/:id/publish': ['program-manager'],
  'POST /v1/rule-sets/:id/submit': ['program-manager'],
  'POST /v1/rule-sets/:id/approve': ['program-manager'],
  'POST /v1/rule-sets/:id/send-back': ['program-manager'],
  'POST /v1/rule-sets/:id/retire': ['program-manager'],
  'GET /v1/rule-sets/:id/diff': ['program-manager', 'operator', 'auditor'],
  'POST /v1/rule-sets/:id/evaluate': ['program-manager', 'operator', 'auditor'],
  'POST /v1/rule-sets/:id/simulate': ['program-manager'],
  'GET /v1/rule-sets/:id/audit': ['program-manager', 'operator', 'auditor'],
  'GET /v1/participants/:id': ['operator', 'auditor'],
  'GET /v1/participants/:id/audit-trail': ['operator', 'auditor'],
  'GET /v1/participants/:id/notices': ['operator', 'auditor'],
  'POST /v1/participants/:id/cancellation': ['operator'],
  'POST /v1/participants/:id/verification-email-resends': ['operator'],
  'POST /v1/participants/:id/notice-resends': ['operator'],
  'POST /v1/participants/:id/payout-retries': ['operator'],
  'POST /v1/participants/:id/deadline-extensions': ['operator'],
  'POST /v1/participants/:id/resets': ['operator'],
  'GET /v1/waves': ['program-manager', 'operator', 'auditor'],
  'GET /v1/waves/:id': ['program-manager', 'operator', 'auditor'],
  'GET /v1/waves/:id/selection': ['program-manager', 'operator', 'auditor'],
  'GET /v1/stats/funnel': ['program-manager', 'operator', 'auditor'],
  'GET /v1/reconciliation/days/:day': ['program-manager', 'operator', 'auditor'],
  'POST /v1/reconciliation/days/:day/runs': ['operator'],
  'POST /v1/reconciliation/discrepancies/:id/resolution': ['operator'],
  'POST /v1/reconciliation/discrepancies/:id/override': ['program-manager'],
  'GET /v1/batch-actions': ['operator', 'auditor'],
  'POST /v1/batch-actions/previews': ['operator'],
  'POST /v1/batch-actions': ['operator'],
  'POST /v1/batch-actions/:id/confirmation': ['operator'],
  'POST /v1/batch-actions/:id/pause': ['operator'],
  'POST /v1/batch-actions/:id/resumption': ['operator'],
  'POST /v1/batch-actions/:id/cancellation': ['operator'],
  'GET /v1/appeals': ['reviewer', 'auditor'],
  'GET /v1/appeals/:id': ['reviewer', 'auditor'],
  'GET /v1/appeals/:id/document': ['reviewer', 'auditor'],
  'POST /v1/appeals/:id/decision': ['reviewer'],
} as const satisfies { [Route in RouteKey]?: readonly Extract<ApiRolesOf<Route>, ConsoleRole>[] };

type ConsoleRoute = keyof typeof CONSOLE_ROUTES;
type AssertTrue<T extends true> = T;
// Not only no role the API refuses (the `satisfies` above), but also every console role it accepts.
type _EveryAllowedRoleListed = AssertTrue<
  { [Route in ConsoleRoute]: [Extract<ApiRolesOf<Route>, ConsoleRole>] extends [(typeof CONSOLE_ROUTES)[Route][number]] ? true : false }[ConsoleRoute]
>;

export function may(role: ConsoleRole, route: ConsoleRoute): boolean {
  const roles: readonly ConsoleRole[] = CONSOLE_ROUTES[route];
  return roles.includes(role);
}
