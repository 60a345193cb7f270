/**
 * The record standard (教职工基础信息, 2013): fields, code tables, cell normalisation, the ID number, the rules
 * of one record, template headers and export cells. Everything that handles a staff record imports from
 * here; nothing else lists fields. Pure TypeScript, usable on the server and in the browser.
 */
export * from './types.ts';
export { schoolTypes, schoolTypeSchema, schoolTypeLabels, parseSchoolType, type SchoolType } from './school-types.ts';
export { fields, fieldByKey, fieldsFor, presenceOf, codeTableIdOf, type FieldDef } from './fields.ts';
export { codeTables, codeTableFor, codeLabel, type CodeTable, type CodeEntry } from './code-tables.ts';
export { normalizeText } from './normalize.ts';
export { parseDate, parseYearMonth, isRealDate, type DateResult, type DateProblem } from './dates.ts';
export {
  idCheckCharacter,
  checkIdNumber,
  type IdCheckResult,
  type IdCheckOptions,
  type IdProblemCode,
} from './id-number.ts';
export {
  idBearingFields,
  maskIdNumber,
  maskBirthDate,
  maskIdNumbersIn,
  maskPersonalText,
  maskFieldValue,
  maskValues,
  maskChanges,
  maskFinding,
  type FieldChanges,
} from './masking.ts';
export { provincePrefixes, hunanHistoricalCodes, parseBirthPlace, type PlaceResult } from './regions.ts';
export { checkRecord, duplicateFinding } from './record.ts';
export { formatCell } from './format.ts';
export { fieldsLabelIndex, matchHeader, headerKey } from './headers.ts';
export { staffInputSchema, type StaffInput } from './schema.ts';
