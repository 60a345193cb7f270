import { useQuery } from '@tanstack/react-query';
import { Button, Result, Skeleton } from 'antd';
import { useParams } from 'react-router-dom';
import { errorText, isApiError } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { NotFoundPage } from '../shared/NotFoundPage';
import { AreaUnitView } from './AreaUnitView';
import { SchoolView } from './SchoolView';
import { unitQuery } from '../org/unit-queries';
import { isUnitCode } from '../org/units-api';

function UnitNotFound({ code }: { code: string }) {
  const { t } = useI18n();
  return <NotFoundPage title={t('notFound.unit')} subTitle={t('notFound.unitHint', { code })} />;
}

function UnitLoader({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const query = useQuery(unitQuery(code));
  if (query.isPending) {
    return (
      <div className="rc-page">
        <Skeleton active paragraph={{ rows: 8 }} />
      </div>
    );
  }
  if (query.isError) {
    // The API answers 404 both for an unknown code and for a unit outside the user's subtree.
    if (isApiError(query.error, 404)) return <UnitNotFound code={code} />;
    return (
      <Result
        status="error"
        title={t('error.loadFailed')}
        subTitle={errorText(query.error, lang)}
        extra={<Button onClick={() => void query.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  const unit = query.data;
  return unit.kind === 'school' ? <SchoolView school={unit} /> : <AreaUnitView unit={unit} />;
}

/** /units/:code — a province, prefecture, county or school, or the not-found page. */
export function UnitPage() {
  const { code = '' } = useParams();
  if (!isUnitCode(code)) return <UnitNotFound code={code} />;
  return <UnitLoader key={code} code={code} />;
}
