import type { UnitRef } from '../../contract/unit-tree.ts';
import type { Role } from '../../contract/roles.ts';

/** Who is acting: a signed-in account, its role and its unit. */
export type Actor = {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unit: UnitRef & { name: string };
};
