import { Alert, Form, Input, InputNumber, Select } from 'antd';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';
import { useCurrentUser } from '../auth/SessionProvider';
import type { SchoolType } from '../../standard/school-types';
import { CountySelect } from './CountySelect';
import { useSchoolRules } from './useSchoolRules';
import { reportsToProvince } from '../../contract/units';

/** The editable fields of a school, shared by 新增学校 and 编辑学校信息 (the code only when adding). */
export function SchoolFields({ withCode }: { withCode: boolean }) {
  const { t } = useI18n();
  const labels = useLabels();
  const rules = useSchoolRules();
  const user = useCurrentUser();
  const schoolType = Form.useWatch<SchoolType | undefined>('schoolType');
  return (
    <>
      {withCode && (
        <Form.Item name="code" label={t('school.code')} rules={rules.code} validateFirst>
          <Input maxLength={10} inputMode="numeric" placeholder={t('school.codePlaceholder')} className="rc-code" />
        </Form.Item>
      )}
      <Form.Item name="name" label={t('school.name')} rules={rules.name} validateFirst>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="schoolType" label={t('school.schoolType')} rules={rules.schoolType}>
        <Select<SchoolType> options={labels.schoolTypeOptions} />
      </Form.Item>
      {reportsToProvince(schoolType) && user.unit.kind !== 'province' && (
        <Alert type="warning" showIcon title={t('school.higherEdHint')} style={{ marginBottom: 16 }} />
      )}
      <Form.Item name="countyCode" label={t('school.county')} rules={rules.countyCode}>
        <CountySelect />
      </Form.Item>
      <Form.Item name="expectedStaff" label={t('school.expectedStaff')} rules={rules.expectedStaff} validateFirst>
        <InputNumber min={0} max={100000} precision={0} style={{ width: 200 }} />
      </Form.Item>
    </>
  );
}
