import type { Role } from '../../contract/roles.ts';

/**
 * A school's or university's admin (学校管理员) by the demo's rule, `<code>-admin`: it marks the school's own
 * plan tasks, manages its operator, leader and viewer, and reports a university's responsible persons.
 */
export function schoolAdminAccount(school: { code: string; name: string }): { username: string; displayName: string; role: Role; unitCode: string }[] {
  return [{ username: `${school.code}-admin`, displayName: `${school.name}管理员`, role: 'admin', unitCode: school.code }];
}
