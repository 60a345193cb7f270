import { useMemo } from 'react';
import { schoolTypeLabels, schoolTypes, type SchoolType } from '../../standard/school-types';
import { roles, type Role } from '../../contract/roles';
import type { UnitKind } from '../../contract/units';
import { useI18n } from './I18nProvider';

/** Labels of the code tables in the UI language: school types come from the record standard itself. */
export function useLabels() {
  const { lang, t } = useI18n();
  return useMemo(
    () => ({
      kind: (kind: UnitKind) => t(`kind.${kind}`),
      schoolType: (type: SchoolType | null | undefined) => (type ? schoolTypeLabels[type][lang] : t('common.none')),
      role: (role: Role) => t(`role.${role}`),
      schoolTypeOptions: schoolTypes.map((type) => ({ value: type, label: schoolTypeLabels[type][lang] })),
      roleOptions: roles.map((role) => ({ value: role, label: t(`role.${role}`) })),
    }),
    [lang, t],
  );
}
