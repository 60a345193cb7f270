import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useI18n } from './I18nProvider';

/** 404: an unknown address, or (with a title) a resource the API does not show this user. */
export function NotFoundPage({ title, subTitle }: { title?: string; subTitle?: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={title ?? t('notFound.title')}
      subTitle={subTitle ?? t('notFound.page')}
      extra={<Button type="primary" onClick={() => navigate('/')}>{t('common.backHome')}</Button>}
      data-testid="not-found"
    />
  );
}
