import { Tag } from 'antd';
import { useI18n } from '../shared/I18nProvider';
import type { ImportStatus } from './imports-api';

const colors: Record<ImportStatus, string> = { checking: 'processing', previewed: 'gold', committed: 'green', failed: 'red' };
const statuses = Object.keys(colors);

/** 检查中 / 待确认 / 已导入 / 失败. */
export function ImportStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  if (!statuses.includes(status)) return <Tag>{status}</Tag>;
  const known = status as ImportStatus;
  return <Tag color={colors[known]}>{t(`staffImport.status.${known}`)}</Tag>;
}
