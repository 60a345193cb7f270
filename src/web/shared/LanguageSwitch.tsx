import { Segmented } from 'antd';
import { useI18n } from './I18nProvider';
import type { Lang } from './i18n/dictionary';

/** 中文 / English; each label is written in its own language. */
export function LanguageSwitch({ size = 'middle' }: { size?: 'small' | 'middle' }) {
  const { lang, setLang, t } = useI18n();
  return (
    <Segmented<Lang>
      aria-label={t('header.language')}
      size={size}
      value={lang}
      onChange={setLang}
      options={[
        { label: '中文', value: 'zh' },
        { label: 'English', value: 'en' },
      ]}
    />
  );
}
