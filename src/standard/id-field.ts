import type { RecordCheck } from './field-values.ts';
import { fieldByKey } from './fields.ts';
import { checkIdText } from './id-number.ts';
import { finding, idMessages, requiredText, tooLongText } from './messages.ts';
import { cellText, characterCount, normalizeText } from './normalize.ts';
import type { RawCell } from './types.ts';

/** What a valid 居民身份证 number says about its holder (for rule 5). */
export type IdFacts = { birthDate: string; sex: '1' | '2' };

export const residentIdType = '1'; // 1-居民身份证

// Excel's way of showing a long number: 4.30102E+17.
const scientific = /^\d+(?:\.\d+)?E[+-]?\d+$/;
// Other documents (军官证 南字第123456号, 护照, 港澳台 documents): letters, digits, Chinese characters, brackets, hyphen.
const otherDocument = /^[0-9A-Z\u3400-\u4DBF\u4E00-\u9FFF()-]+$/;
const excelKeptDigits = 15; // a double holds 15 significant digits exactly

/**
 * Reads the 身份证件号 cell (rule 4 and the Excel pitfall of the template conventions). A numeric cell or
 * text in scientific notation is an ID Excel turned into a number: an 18-digit number has lost its last
 * digits, so it is refused with a message that says how to re-enter it. A numeric cell of at most 15 digits
 * still holds every digit and is read as text. For a 居民身份证 the GB 11643 checks apply and the stored
 * value is the 18-digit form; other document types are checked for length and characters only.
 */
export function readIdNumber(cell: RawCell, idType: string | null, check: RecordCheck): IdFacts | null {
  const key = 'idNumber';
  let text: string;
  if (typeof cell === 'number') {
    text = Number.isFinite(cell) ? String(cell) : '';
    if (!Number.isSafeInteger(cell) || cell <= 0 || text.length > excelKeptDigits) {
      check.values[key] = text;
      check.findings.push(finding(key, 'id_mangled', idMessages.mangled(text)));
      return null;
    }
  } else {
    text = (typeof cell === 'string' ? normalizeText(cell) : (cellText(cell) ?? '')).toUpperCase();
  }
  if (text === '') {
    check.findings.push(finding(key, 'required', requiredText(key)));
    return null;
  }
  check.values[key] = text;
  if (scientific.test(text)) {
    check.findings.push(finding(key, 'id_mangled', idMessages.mangled(text)));
    return null;
  }
  if (idType === residentIdType) return readResidentId(text, check);
  const maxLength = fieldByKey.idNumber.maxLength ?? 30;
  const length = characterCount(text);
  if (length > maxLength) check.findings.push(finding(key, 'too_long', tooLongText(key, maxLength, length)));
  else if (!otherDocument.test(text)) check.findings.push(finding(key, 'invalid_format', idMessages.otherFormat(text)));
  else check.valid[key] = true;
  return null;
}

function readResidentId(text: string, check: RecordCheck): IdFacts | null {
  const result = checkIdText(text, check.today);
  if (result.ok) {
    check.values.idNumber = result.normalized;
    check.valid.idNumber = true;
    return { birthDate: result.birthDate, sex: result.sex };
  }
  // An 18-digit ID whose last three characters Excel replaced with 000 fails its check character.
  const code = result.code === 'id_checksum' && text.endsWith('000') ? 'id_mangled' : result.code;
  const words = code === 'id_mangled' ? idMessages.mangled(text) : result;
  check.findings.push(finding('idNumber', code, { message: words.message, messageEn: words.messageEn }));
  return null;
}
