import type { FormRule } from 'antd';
import { useMemo } from 'react';
import { createSchoolSchema } from '../../contract/schools.schema';
import { useI18n } from '../shared/I18nProvider';
import { zodRule } from '../shared/zod-rule';

const shape = createSchoolSchema.shape;

/** Form rules of a school's fields, checked with the API's own schema (server/org/schools.schema). */
export function useSchoolRules(): Record<'code' | 'name' | 'schoolType' | 'countyCode' | 'expectedStaff', FormRule[]> {
  const { t } = useI18n();
  return useMemo(
    () => ({
      code: [{ required: true, message: t('school.codeRequired') }, zodRule(shape.code, t('school.codeInvalid'))],
      name: [{ required: true, whitespace: true, message: t('school.nameRequired') }, zodRule(shape.name, t('school.nameInvalid'))],
      schoolType: [{ required: true, message: t('school.typeRequired') }],
      countyCode: [{ required: true, message: t('school.countyRequired') }, zodRule(shape.countyCode, t('school.countyRequired'))],
      expectedStaff: [{ required: true, message: t('school.staffRequired') }, zodRule(shape.expectedStaff, t('school.staffInvalid'))],
    }),
    [t],
  );
}
