import type { FormRule } from 'antd';
import { useI18n } from '../shared/I18nProvider';
import { meetsPasswordRule } from './auth-api';

/** Form rules for a new password and its confirmation field, shared by 修改密码, 新建账号 and 重置密码. */
export function useNewPasswordRules(passwordField: string): { password: FormRule[]; confirm: FormRule[] } {
  const { t } = useI18n();
  return {
    password: [
      { required: true, message: t('password.ruleFailed') },
      {
        validator: (_rule, value: unknown) =>
          typeof value !== 'string' || value === '' || meetsPasswordRule(value) ? Promise.resolve() : Promise.reject(new Error(t('password.ruleFailed'))),
      },
    ],
    confirm: [
      { required: true, message: t('password.confirmRequired') },
      ({ getFieldValue }) => ({
        validator: (_rule, value: unknown) =>
          !value || getFieldValue(passwordField) === value ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch'))),
      }),
    ],
  };
}
