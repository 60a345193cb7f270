import { idBearingFields, maskFieldValue, maskIdNumbersIn, maskPersonalText } from '../../standard/index.ts';
import { maskPhone } from '../../standard/masking.ts';

/** The start of a Beijing calendar day (UTC+8, no daylight saving). */
export const beijingDayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);
export const nextDay = (day: string) => new Date(beijingDayStart(day).getTime() + 86_400_000);

const mobilePattern = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const changeSides = new Set(['before', 'after', 'value']);

/** ID and mobile numbers in a text of an event's details masked; every date too when it is about a person. */
export function maskDetailText(text: string, aboutPerson = false): string {
  return (aboutPerson ? maskPersonalText(text) : maskIdNumbersIn(text)).replace(mobilePattern, (mobile) => maskPhone(mobile));
}

/**
 * Masks personal numbers in an audit event's details as their own fields are masked: the value of an
 * ID-bearing field (under its key, or the sides of a change that names it: `{ field: 'birthDate', before,
 * after }`), and ID and mobile numbers inside any other text. The details of an event about a person
 * (`aboutPerson`: a staff record) have every date in their text given to the month too, since it may be the
 * birth date.
 */
export function maskPersonalData(value: unknown, aboutPerson = false, field?: string): unknown {
  if (typeof value === 'string') {
    if (field) return maskFieldValue(field, value);
    return maskDetailText(value, aboutPerson);
  }
  if (Array.isArray(value)) return value.map((inner) => maskPersonalData(inner, aboutPerson, field));
  if (value && typeof value === 'object') {
    const named = 'field' in value ? value.field : undefined;
    const changed = typeof named === 'string' && idBearingFields.has(named) ? named : field;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, maskPersonalData(inner, aboutPerson, idBearingFields.has(key) ? key : changeSides.has(key) ? changed : undefined)]),
    );
  }
  return value;
}
