import { useCallback, useMemo, useState } from 'react';
import type { FieldKey, Finding, SchoolType } from '../../standard/index.ts';
import { findingsByField, formState, type FormState, type FormValues } from './staff-form-model';

export type StaffFormModel = {
  schoolType: SchoolType;
  values: FormValues;
  state: FormState;
  /** The findings to show under a field: the live check's (once touched, or after a save attempt) and the server's. */
  findingsOf: (key: FieldKey) => Finding[];
  /** Findings of the whole record (no field), live and from the server. */
  recordFindings: Finding[];
  errorCount: number;
  setField: (key: FieldKey, value: string | null) => void;
  /** Replaces the values (a reload after 409); the user's own edits are the caller's to keep. */
  setValues: (values: FormValues) => void;
  /** Shows every finding, touched or not (after a save attempt). */
  showAll: () => void;
  /** Findings the server answered with (422), shown until the field changes. */
  setServerFindings: (findings: Finding[]) => void;
};

function sameFinding(a: Finding, b: Finding) {
  return a.field === b.field && a.code === b.code && a.message === b.message;
}

/**
 * The state of a staff form: the values, and what the record standard says about them on every change (which
 * fields show, which are required, the findings). `revealed` starts true for an existing record, whose
 * findings show at once; a new record shows a field's findings once it is touched.
 */
export function useStaffForm(schoolType: SchoolType, initial: FormValues, revealed: boolean): StaffFormModel {
  const [values, setValuesState] = useState<FormValues>(initial);
  const [touched, setTouched] = useState<ReadonlySet<FieldKey>>(() => new Set());
  const [all, setAll] = useState(revealed);
  const [serverFindings, setServerFindingsState] = useState<Finding[]>([]);
  // One collection date per form, as one server request has one.
  const [today] = useState(() => new Date());
  const state = useMemo(() => formState(values, schoolType, today), [values, schoolType, today]);

  const grouped = useMemo(() => findingsByField(state.findings), [state.findings]);
  const serverGrouped = useMemo(() => findingsByField(serverFindings), [serverFindings]);

  const findingsOf = useCallback(
    (key: FieldKey) => {
      const live = all || touched.has(key) ? (grouped.get(key) ?? []) : [];
      const server = (serverGrouped.get(key) ?? []).filter((finding) => !live.some((shown) => sameFinding(shown, finding)));
      return [...live, ...server];
    },
    [all, touched, grouped, serverGrouped],
  );

  const recordFindings = useMemo(() => {
    const live = all ? (grouped.get(null) ?? []) : [];
    return [...live, ...(serverGrouped.get(null) ?? []).filter((finding) => !live.some((shown) => sameFinding(shown, finding)))];
  }, [all, grouped, serverGrouped]);

  const setField = useCallback((key: FieldKey, value: string | null) => {
    setValuesState((previous) => ({ ...previous, [key]: value }));
    setTouched((previous) => (previous.has(key) ? previous : new Set(previous).add(key)));
    setServerFindingsState((previous) => (previous.some((finding) => finding.field === key) ? previous.filter((finding) => finding.field !== key) : previous));
  }, []);

  return {
    schoolType,
    values,
    state,
    findingsOf,
    recordFindings,
    errorCount: state.findings.filter((finding) => finding.severity === 'error').length,
    setField,
    setValues: setValuesState,
    showAll: useCallback(() => setAll(true), []),
    setServerFindings: setServerFindingsState,
  };
}
