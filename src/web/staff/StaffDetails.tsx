import { Alert, Card, Descriptions, Space, Tag, Tooltip, Typography } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { fieldsFor, type SchoolType } from '../../standard/index.ts';
import { useI18n } from '../shared/I18nProvider';
import { hiddenFields, plainValue } from './staff-form-model';
import type { RevealedNumbers, StaffRecord } from './staff-api';

const time = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');

/**
 * A record in plain words: every field of the school type's template in the standard's order, codes as
 * their names; fields the rules say must be empty for this record are left out. `idNumber` replaces the
 * masked ID number and birth date once revealed.
 */
export function StaffDetails({ record, schoolType, revealed }: { record: StaffRecord; schoolType: SchoolType; revealed?: RevealedNumbers }) {
  const { t, lang } = useI18n();
  const hidden = hiddenFields(record.values, schoolType, new Date(record.updatedAt));
  const fields = fieldsFor(schoolType).filter((field) => !hidden.has(field.key));
  const warnings = record.findings;

  return (
    <>
      {warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('staff.warningsTitle', { count: warnings.length })}
          description={
            <ul className="rc-plain-list">
              {warnings.map((finding) => (
                <li key={`${finding.field}-${finding.code}`}>{lang === 'en' ? finding.messageEn : finding.message}</li>
              ))}
            </ul>
          }
          data-testid="staff-warnings"
        />
      )}
      <Card title={t('staff.details')} className="rc-section" data-testid="staff-details">
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          items={fields.map((field) => {
            const shown = revealed && (field.key === 'idNumber' || field.key === 'birthDate') ? revealed[field.key] : record.values[field.key];
            const value = field.key === 'idNumber' ? shown : plainValue(field.key, shown, schoolType);
            const masked = record.idNumberMasked && !revealed && (field.key === 'idNumber' || field.key === 'birthDate');
            return {
              key: field.key,
              label: (
                <span>
                  {lang === 'en' ? field.labelEn : field.label}{' '}
                  <Tooltip title={field.explain}>
                    <QuestionCircleOutlined className="rc-help-icon" />
                  </Tooltip>
                </span>
              ),
              children:
                value === null ? (
                  <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
                ) : field.key === 'idNumber' || masked ? (
                  <Space size="small">
                    <span className={field.key === 'idNumber' ? 'rc-code' : undefined} data-testid={field.key === 'idNumber' ? 'staff-id-number' : `staff-${field.key}`}>{value}</span>
                    {masked && <Tag>{t('staff.masked')}</Tag>}
                  </Space>
                ) : (
                  value
                ),
            };
          })}
        />
      </Card>
      <Card size="small" className="rc-section">
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 4 }}
          items={[
            { key: 'id', label: t('staff.meta.id'), children: record.id },
            { key: 'version', label: t('staff.meta.version'), children: record.version },
            { key: 'created', label: t('staff.meta.createdAt'), children: time(record.createdAt) },
            { key: 'updated', label: t('staff.meta.updatedAt'), children: time(record.updatedAt) },
          ]}
        />
      </Card>
    </>
  );
}
