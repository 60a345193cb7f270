import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Form, Input } from 'antd';
import { isApiError } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { useLabels } from '../shared/useLabels';
import { unitQuery } from '../org/unit-queries';
import { isUnitCode, type Unit } from '../org/units-api';

/**
 * 所属单位代码: typed by code, checked against the API (GET /api/units/{code}) so that only a unit of the
 * user's jurisdiction passes; the unit's name shows under the field.
 */
export function UnitCodeField({ name = 'unitCode' }: { name?: string }) {
  const { t } = useI18n();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const [found, setFound] = useState<Unit | null>(null);

  return (
    <Form.Item
      name={name}
      label={t('accounts.field.unitCode')}
      extra={found ? t('accounts.field.unitFound', { kind: labels.kind(found.kind), name: found.name }) : t('accounts.field.unitCodeHint')}
      validateFirst
      validateDebounce={300}
      hasFeedback
      rules={[
        { required: true, message: t('accounts.field.unitCodeRequired') },
        { pattern: /^\d{6}$|^\d{10}$/, message: t('accounts.filter.unitInvalid') },
        {
          validator: async (_rule, value: string) => {
            setFound(null);
            if (!isUnitCode(value)) return;
            try {
              setFound(await queryClient.fetchQuery(unitQuery(value)));
            } catch (error) {
              throw new Error(isApiError(error, 404) ? t('accounts.field.unitNotFound') : t('error.unexpected'));
            }
          },
        },
      ]}
    >
      <Input maxLength={10} inputMode="numeric" className="rc-code" />
    </Form.Item>
  );
}
