import { Tag } from 'antd';
import { recordStateLabels, recordStates, type RecordState } from '../../contract/record-states';
import { useI18n } from '../shared/I18nProvider';

const colors: Record<RecordState, string> = {
  draft: 'default',
  awaiting_confirmation: 'processing',
  correction_requested: 'orange',
  confirmed: 'cyan',
  approved: 'green',
  returned: 'red',
};

/** A record's workflow state (已录入, 待本人确认, …) in the words of the state machine. */
export function StaffStatusTag({ status }: { status: string }) {
  const { lang } = useI18n();
  const state = recordStates.find((known) => known === status) ?? null;
  return <Tag color={state ? colors[state] : 'default'}>{state ? recordStateLabels[state][lang] : status}</Tag>;
}

/** The states as filter options. */
export function useStatusOptions() {
  const { lang } = useI18n();
  return recordStates.map((state) => ({ value: state, label: recordStateLabels[state][lang] }));
}
