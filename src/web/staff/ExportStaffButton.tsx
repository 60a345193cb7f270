import { Button, Popconfirm } from 'antd';
import { ExportOutlined } from '@ant-design/icons';
import { downloadFile } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';

/**
 * 导出教职工: the unit's staff as .xlsx (GET /api/units/{code}/export), for every signed-in role, after a
 * confirmation that says the export is recorded in the audit log.
 */
export function ExportStaffButton({ unit, label }: { unit: { code: string; name: string }; label?: string }) {
  const { t } = useI18n();
  return (
    <Popconfirm
      title={t('staff.exportTitle')}
      description={<div className="rc-popconfirm-text">{t('staff.exportConfirm', { unit: unit.name })}</div>}
      okText={t('staff.exportOk')}
      cancelText={t('common.cancel')}
      onConfirm={() => downloadFile(`/api/units/${unit.code}/export`)}
    >
      <Button icon={<ExportOutlined />} data-testid="export-staff">
        {label ?? t('staff.exportUnit')}
      </Button>
    </Popconfirm>
  );
}
