import { describe, expect, it } from 'vitest';
import {
  CONSOLE_AUTHORISATION,
  CONSOLE_PRIVILEGES,
  CONSOLE_ROLES,
  hasPrivilege,
  mayCall,
} from '../../../definitions/console-roles';
import { PIPELINE_ROUTES } from '../../../definitions/routes';
import { CONSOLE_GROUPS } from '../../../infra/constructs/api/intake-api';

const consoleRouteKeys = PIPELINE_ROUTES.filter((route) => route.auth === 'console').map(
  (route) => `${route.method} ${route.path}`,
);
const rows = Object.entries(CONSOLE_AUTHORISATION);

describe('the console authorisation matrix', () => {
  it('has one row for every console route and no row for anything else', () => {
    expect(Object.keys(CONSOLE_AUTHORISATION).sort()).toEqual([...consoleRouteKeys].sort());
  });

  it('has the roles of the Cognito groups the stack creates', () => {
    expect([...CONSOLE_ROLES].sort()).toEqual(Object.keys(CONSOLE_GROUPS).sort());
  });

  it('lets auditors read and nothing else', () => {
    for (const [route, row] of rows) expect(row.auditor).toBe(route.startsWith('GET '));
  });

  it('lets everyone read, except the evidence pack', () => {
    const reads = rows.filter(([route]) => route.startsWith('GET ') && !route.endsWith('/evidence'));
    for (const [route, row] of reads) {
      expect([route, row]).toEqual([route, { agent: true, supervisor: true, auditor: true }]);
    }
  });

  it('gives the evidence pack, which goes to a regulator, to supervisors and auditors only', () => {
    const route = 'GET /v1/console/requests/{id}/evidence';
    expect(mayCall(route, ['supervisor'])).toBe(true);
    expect(mayCall(route, ['auditor'])).toBe(true);
    expect(mayCall(route, ['agent'])).toBe(false);
  });

  it.each(['POST /v1/console/requests/{id}/refuse', 'POST /v1/console/requests/{id}/extend'])(
    'leaves %s to supervisors',
    (route) => {
      expect(mayCall(route, ['supervisor'])).toBe(true);
      expect(mayCall(route, ['agent'])).toBe(false);
      expect(mayCall(route, ['agent', 'auditor'])).toBe(false);
    },
  );

  it('closes routes without a row, and every route to a caller without a role', () => {
    expect(mayCall('DELETE /v1/console/requests/{id}', ['supervisor'])).toBe(false);
    for (const route of consoleRouteKeys) expect(mayCall(route, [])).toBe(false);
  });

  it('reserves reveals, sensitive approvals and reassignment to supervisors', () => {
    for (const privilege of Object.keys(CONSOLE_PRIVILEGES) as (keyof typeof CONSOLE_PRIVILEGES)[]) {
      expect(hasPrivilege(privilege, ['supervisor'])).toBe(true);
      expect(hasPrivilege(privilege, ['agent', 'auditor'])).toBe(false);
    }
  });
});
