import { Button, Dropdown } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { useI18n } from '../shared/I18nProvider';

/**
 * 下载初始账号: the initial passwords of the unit's subtree (accounts not yet changed by their owners), as a
 * workbook or a printable page of one card per school. Every download is audited by the server.
 */
export function InitialCredentialsButton({ unitCode }: { unitCode: string }) {
  const { t } = useI18n();
  const url = `/api/units/${encodeURIComponent(unitCode)}/credentials`;
  return (
    <Dropdown
      menu={{
        items: [
          { key: 'xlsx', label: <a href={url} download>{t('credentials.xlsx')}</a> },
          { key: 'print', label: <a href={`${url}?format=print`} target="_blank" rel="noreferrer">{t('credentials.print')}</a> },
        ],
      }}
    >
      <Button icon={<KeyOutlined />} data-testid="initial-credentials">{t('credentials.button')}</Button>
    </Dropdown>
  );
}
