import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import type { Role } from '../../contract/roles.ts';
import { authorize, can } from './can.ts';
import type { UnitRef } from '../../contract/unit-tree.ts';

const province: UnitRef = { code: '430000', kind: 'province', path: '430000.' };
const changsha: UnitRef = { code: '430100', kind: 'prefecture', path: '430000.430100.' };
const furong: UnitRef = { code: '430102', kind: 'county', path: '430000.430100.430102.' };
const tianxin: UnitRef = { code: '430103', kind: 'county', path: '430000.430100.430103.' };
const furongSchool: UnitRef = { code: '2430102001', kind: 'school', path: '430000.430100.430102.2430102001.' };
const university: UnitRef = { code: '4430104001', kind: 'school', path: '430000.4430104001.' };

const actor = (role: Role, unit: UnitRef, id = 1): Actor => ({ id, username: 'u', displayName: 'u', role, unit: { ...unit, name: 'x' } });

describe('can', () => {
  it('lets any role read its own subtree and nothing outside it', () => {
    for (const role of ['admin', 'operator', 'leader', 'viewer'] as const) {
      expect(can(actor(role, furong), 'unit.read', furongSchool)).toBe(true);
      expect(can(actor(role, furong), 'unit.read', tianxin)).toBe(false);
      expect(can(actor(role, furong), 'unit.read', changsha)).toBe(false);
    }
  });

  it('does not mistake a code prefix for a subtree (430102 is not under 43010)', () => {
    const odd: UnitRef = { code: '43010', kind: 'county', path: '430000.430100.43010.' };
    expect(can(actor('admin', odd), 'unit.read', furong)).toBe(false);
  });

  it('lets only admins create and edit schools in their subtree', () => {
    expect(can(actor('admin', furong), 'school.create', furong)).toBe(true);
    expect(can(actor('operator', furong), 'school.create', furong)).toBe(false);
    expect(can(actor('admin', furong), 'school.update', furongSchool)).toBe(true);
    expect(can(actor('admin', tianxin), 'school.update', furongSchool)).toBe(false);
    expect(can(actor('admin', furong), 'school.create', province)).toBe(false);
    expect(can(actor('admin', province), 'school.update', university)).toBe(true);
    expect(can(actor('admin', changsha), 'school.update', university)).toBe(false);
  });

  it('lets an admin manage accounts below it but never its own', () => {
    const admin = actor('admin', furong, 7);
    expect(can(admin, 'account.update', { id: 8, role: 'operator', unit: furongSchool })).toBe(true);
    expect(can(admin, 'account.update', { id: 7, role: 'admin', unit: furong })).toBe(false);
    expect(can(admin, 'account.update', { id: 9, role: 'admin', unit: tianxin })).toBe(false);
    expect(can(actor('leader', furong), 'account.list', furong)).toBe(false);
  });

  it('leaves an admin account to the level above: a peer admin of the same unit neither resets, unlocks nor makes one', () => {
    const admin = actor('admin', furong, 7);
    expect(can(admin, 'account.update', { id: 10, role: 'admin', unit: furong })).toBe(false);
    expect(can(admin, 'account.update', { id: 10, role: 'operator', unit: furong })).toBe(true);
    expect(can(admin, 'account.update', { id: 11, role: 'admin', unit: furongSchool })).toBe(true);
    expect(can(actor('admin', changsha, 3), 'account.update', { id: 10, role: 'admin', unit: furong })).toBe(true);
    expect(can(actor('admin', province, 1), 'account.update', { id: 2, role: 'admin', unit: province })).toBe(false);
    expect(can(admin, 'account.create', { role: 'admin', unit: furong })).toBe(false);
    expect(can(admin, 'account.create', { role: 'viewer', unit: furong })).toBe(true);
    expect(can(admin, 'account.create', { role: 'admin', unit: furongSchool })).toBe(true);
  });

  it('lets a unit mark its own tasks, a school without an admin by its operator, and the reporting unit on a school\'s behalf', () => {
    const school = (hasAdmin: boolean) => ({ unit: furongSchool, reportsTo: furong.code, hasAdmin });
    expect(can(actor('admin', furong), 'task.complete', { unit: furong, reportsTo: changsha.code, hasAdmin: true })).toBe(true);
    expect(can(actor('operator', furong), 'task.complete', { unit: furong, reportsTo: changsha.code, hasAdmin: true })).toBe(false);
    // A county's task is its own: the prefecture does not mark it on its behalf.
    expect(can(actor('admin', changsha), 'task.complete', { unit: furong, reportsTo: changsha.code, hasAdmin: true })).toBe(false);
    expect(can(actor('admin', furongSchool), 'task.complete', school(true))).toBe(true);
    expect(can(actor('operator', furongSchool), 'task.complete', school(true))).toBe(false);
    expect(can(actor('operator', furongSchool), 'task.complete', school(false))).toBe(true);
    expect(can(actor('leader', furongSchool), 'task.complete', school(false))).toBe(false);
    expect(can(actor('admin', furong), 'task.complete', school(true))).toBe(true);
    expect(can(actor('operator', furong), 'task.complete', school(true))).toBe(false);
    expect(can(actor('admin', changsha), 'task.complete', school(true))).toBe(false);
    expect(can(actor('admin', tianxin), 'task.complete', school(true))).toBe(false);
    // A university reports to the province, which marks on its behalf.
    expect(can(actor('admin', province), 'task.complete', { unit: university, reportsTo: province.code, hasAdmin: false })).toBe(true);
    expect(can(actor('admin', province), 'task.complete', school(false))).toBe(false);
  });

  it('gives a school\'s or university\'s own admin its tasks, its accounts and its attachment 2, and nothing of a county admin', () => {
    for (const unit of [furongSchool, university]) {
      const admin = actor('admin', unit, 20);
      const reportsTo = unit === university ? province.code : furong.code;
      expect(can(admin, 'task.complete', { unit, reportsTo, hasAdmin: true }), unit.code).toBe(true);
      expect(can(admin, 'account.list', unit)).toBe(true);
      expect(can(admin, 'account.create', { unit, role: 'operator' })).toBe(true);
      expect(can(admin, 'account.create', { unit, role: 'admin' })).toBe(false);
      expect(can(admin, 'account.create', { unit: furong, role: 'viewer' })).toBe(false);
      expect(can(admin, 'account.update', { id: 21, role: 'leader', unit })).toBe(true);
      expect(can(admin, 'account.update', { id: 22, role: 'admin', unit })).toBe(false);
      expect(can(admin, 'account.update', { id: 23, role: 'operator', unit: furong })).toBe(false);
      expect(can(admin, 'contacts.report', unit)).toBe(true);
      expect(can(admin, 'audit.read', unit)).toBe(true);
      expect(can(admin, 'question.ask', unit)).toBe(true);
      // Not a county admin's: schools, packages received, reveal, the column, the weekly report.
      expect(can(admin, 'school.create', unit)).toBe(false);
      expect(can(admin, 'school.update', unit)).toBe(false);
      expect(can(admin, 'school.lifecycle', unit)).toBe(false);
      expect(can(admin, 'package.review', unit)).toBe(false);
      expect(can(admin, 'package.reopen', unit)).toBe(false);
      expect(can(admin, 'staff.reveal', unit)).toBe(false);
      expect(can(admin, 'resource.manage', unit)).toBe(false);
      expect(can(admin, 'weeklyReport.prepare', unit)).toBe(false);
      expect(can(admin, 'weeklyReport.headSign', unit)).toBe(false);
      // The school's records and its submission are its operator's (人事专干), the sign-off its leader's.
      expect(can(admin, 'staff.read', unit)).toBe(true);
      expect(can(admin, 'staff.write', unit)).toBe(false);
      expect(can(admin, 'package.submit', unit)).toBe(false);
      expect(can(admin, 'package.signoff', unit)).toBe(false);
      expect(can(actor('operator', unit), 'staff.write', unit)).toBe(true);
      expect(can(actor('operator', unit), 'package.submit', unit)).toBe(true);
    }
    // A county keeps its own: its admin submits and reviews, edits and closes its schools.
    expect(can(actor('admin', furong), 'package.submit', furong)).toBe(true);
    expect(can(actor('admin', furong), 'package.review', furong)).toBe(true);
    expect(can(actor('admin', furong), 'package.reopen', furong)).toBe(true);
    expect(can(actor('admin', furong), 'school.lifecycle', furongSchool)).toBe(true);
    expect(can(actor('admin', province), 'school.update', university)).toBe(true);
  });

  it('authorize throws 404 outside the subtree and 403 for a visible but forbidden action', () => {
    expect(() => authorize(actor('admin', furong), 'school.update', furongSchool)).not.toThrow();
    expect(() => authorize(actor('admin', tianxin), 'school.update', furongSchool)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => authorize(actor('viewer', furong), 'school.update', furongSchool)).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });
});
