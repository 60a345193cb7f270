import { Alert, Col, Form, Row } from 'antd';
import { fieldsFor, type FieldDef, type Finding } from '../../standard/index.ts';
import { useI18n } from '../shared/I18nProvider';
import type { Lang } from '../shared/i18n/dictionary';
import { StaffFieldInput } from './StaffFieldInput';
import type { StaffFormModel } from './useStaffForm';

const messageOf = (finding: Finding, lang: Lang) => (lang === 'en' ? finding.messageEn : finding.message);

/** The messages under a field: errors red, warnings orange, in the standard's own words. */
export function FindingList({ findings }: { findings: Finding[] }) {
  const { lang } = useI18n();
  return (
    <div className="rc-findings">
      {findings.map((finding) => (
        <div key={`${finding.code}-${finding.message}`} className={finding.severity === 'error' ? 'rc-finding-error' : 'rc-finding-warning'}>
          {messageOf(finding, lang)}
        </div>
      ))}
    </div>
  );
}

function FieldItem({ field, form }: { field: FieldDef; form: StaffFormModel }) {
  const { lang } = useI18n();
  const findings = form.findingsOf(field.key);
  const required = form.state.required.has(field.key);
  const id = `staff-${field.key}`;
  const status = findings.length === 0 ? undefined : findings.some((finding) => finding.severity === 'error') ? 'error' : 'warning';
  const label = lang === 'en' ? field.labelEn : field.label;
  return (
    <Form.Item
      label={
        <span>
          {required && <span className="rc-required-star">★</span>}
          {label}
        </span>
      }
      htmlFor={id}
      tooltip={{ title: field.explain, placement: 'topLeft' }}
      validateStatus={status}
      help={findings.length > 0 ? <FindingList findings={findings} /> : undefined}
    >
      <StaffFieldInput
        id={id}
        field={field}
        schoolType={form.schoolType}
        required={required}
        value={form.values[field.key] ?? null}
        onChange={(value) => form.setField(field.key, value)}
        status={status}
      />
    </Form.Item>
  );
}

/**
 * The fields of a school type's record, generated from the standard in its order: fields the rules say
 * must be empty for the current values are hidden, ★ marks the required ones, the 指标解释 is each label's
 * tooltip, and the standard's findings show under their fields as the user types.
 */
export function StaffFormFields({ form }: { form: StaffFormModel }) {
  const { t, lang } = useI18n();
  const shown = fieldsFor(form.schoolType).filter((field) => !form.state.hidden.has(field.key));
  return (
    <Form layout="vertical" component={false} requiredMark={false}>
      {form.recordFindings.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={t('staff.recordFindings')}
          description={form.recordFindings.map((finding) => messageOf(finding, lang)).join('；')}
          style={{ marginBottom: 16 }}
        />
      )}
      <Row gutter={24} data-testid="staff-form">
        {shown.map((field) => (
          <Col key={field.key} xs={24} md={12} xl={8} data-testid={`field-${field.key}`}>
            <FieldItem field={field} form={form} />
          </Col>
        ))}
      </Row>
    </Form>
  );
}
