import { useState } from 'react';
import { Alert, Button, Result, Segmented, Space, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { Link, useParams } from 'react-router-dom';
import { useI18n } from '../shared/I18nProvider';
import { ConfirmationSlip } from './ConfirmationSlip';
import { forgetSlips, keptSlips } from './workflow-api';
import './slips.css';

/**
 * /units/:code/slips — the confirmation slips of the last issue, printed on A4, one or four to a page.
 * Fed only by the issue answer kept in this tab: the codes are never fetched again.
 */
export function SlipsPage() {
  const { t } = useI18n();
  const { code = '' } = useParams();
  const [batch, setBatch] = useState(() => keptSlips(code));
  const [perPage, setPerPage] = useState<1 | 4>(4);
  const back = <Link to={`/units/${code}?tab=staff`}>{t('staff.backToList')}</Link>;

  if (!batch || batch.issued.length === 0) return <Result status="info" title={t('workflow.slips.none')} extra={back} />;

  return (
    <div className="rc-page">
      <div className="rc-page-title-row rc-no-print">
        <Space wrap size="middle" align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>{t('workflow.slips.title')}</Typography.Title>
          <Typography.Text type="secondary">{batch.schoolName} · {batch.issued.length}</Typography.Text>
          {back}
        </Space>
        <Space wrap>
          <span>{t('workflow.slips.perPage')}</span>
          <Segmented<1 | 4>
            value={perPage}
            onChange={setPerPage}
            options={[
              { value: 1, label: t('workflow.slips.one') },
              { value: 4, label: t('workflow.slips.four') },
            ]}
          />
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>{t('workflow.slips.print')}</Button>
          <Button
            onClick={() => {
              forgetSlips(code);
              setBatch(null);
            }}
          >
            {t('workflow.slips.discard')}
          </Button>
        </Space>
      </div>
      <Alert className="rc-no-print" type="warning" showIcon title={t('workflow.slips.hint')} />
      <div className={`rc-slips rc-slips-${perPage}`} data-testid="slips">
        {batch.issued.map((slip) => (
          <ConfirmationSlip key={slip.staffId} schoolName={batch.schoolName} slip={slip} />
        ))}
      </div>
    </div>
  );
}
