import { useQuery } from '@tanstack/react-query';
import { Button, Result, Skeleton } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { errorText, isApiError } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { NotFoundPage } from '../shared/NotFoundPage';
import { unitQuery } from '../org/unit-queries';
import { UnitHeader } from '../org/UnitHeader';
import { ImportPreview } from './ImportPreview';
import { UploadPanel } from './UploadPanel';

/**
 * /units/:code/import — 导入Excel for a school: upload (with progress), then the preview of that upload
 * (`?import=<id>`, so a reload or a link from the history opens it again), then the commit.
 */
export function ImportPage() {
  const { t, lang } = useI18n();
  const { code = '' } = useParams();
  const navigate = useNavigate();
  const [searchParams, setSearchParams] = useSearchParams();
  const school = useQuery(unitQuery(code));
  const importId = Number(searchParams.get('import'));

  if (school.isPending) return <div className="rc-page"><Skeleton active paragraph={{ rows: 10 }} /></div>;
  if (school.isError) {
    if (isApiError(school.error, 404)) return <NotFoundPage title={t('notFound.unit')} subTitle={t('notFound.unitHint', { code })} />;
    return <Result status="error" title={t('error.loadFailed')} subTitle={errorText(school.error, lang)} />;
  }
  const unit = school.data;
  const writes = unit.abilities.writeStaff;
  const back = (
    <Button key="back" icon={<ArrowLeftOutlined />} onClick={() => navigate(`/units/${unit.code}?tab=staff`)}>
      {t('staff.backToList')}
    </Button>
  );

  let body;
  if (unit.kind !== 'school' || unit.schoolType === null) body = <Result status="info" title={t('staffImport.notSchool')} />;
  else if (Number.isSafeInteger(importId) && importId > 0) {
    body = (
      <ImportPreview
        key={importId}
        importId={importId}
        schoolCode={unit.code}
        schoolType={unit.schoolType}
        writes={writes}
        onAnother={() => setSearchParams({})}
      />
    );
  } else if (writes) body = <UploadPanel schoolCode={unit.code} onUploaded={(id) => setSearchParams({ import: String(id) })} />;
  else body = <Result status="403" title={t('staff.noWrite')} />;

  return (
    <div className="rc-page">
      <UnitHeader unit={unit} extra={[back]} />
      {body}
    </div>
  );
}
