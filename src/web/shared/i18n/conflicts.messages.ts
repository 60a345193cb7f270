/** Strings of the ID number conflicts page (身份证件号冲突). */
const zh = {
  'conflicts.title': '身份证件号冲突',
  'conflicts.link': '证件号冲突',
  'conflicts.tab.open': '未解决',
  'conflicts.tab.resolved': '已解决',
  'conflicts.idNumber': '身份证件号',
  'conflicts.holder': '已登记学校',
  'conflicts.claimant': '申报学校',
  'conflicts.person': '申报姓名',
  'conflicts.createdAt': '发现时间',
  'conflicts.resolution': '处理结果',
  'conflicts.resolution.transfer': '调出',
  'conflicts.resolution.correction': '更正',
  'conflicts.note': '说明',
  'conflicts.release': '调出',
  'conflicts.withdraw': '撤回申报',
  'conflicts.noteRequired': '请填写说明',
  'conflicts.done': '冲突已解决',
  'conflicts.empty': '没有冲突',
};

const en: Record<keyof typeof zh, string> = {
  'conflicts.title': 'ID number conflicts',
  'conflicts.link': 'ID conflicts',
  'conflicts.tab.open': 'Open',
  'conflicts.tab.resolved': 'Resolved',
  'conflicts.idNumber': 'ID number',
  'conflicts.holder': 'Registered at',
  'conflicts.claimant': 'Claimed by',
  'conflicts.person': 'Name claimed',
  'conflicts.createdAt': 'Found at',
  'conflicts.resolution': 'Resolution',
  'conflicts.resolution.transfer': 'Transfer',
  'conflicts.resolution.correction': 'Correction',
  'conflicts.note': 'Note',
  'conflicts.release': 'Release',
  'conflicts.withdraw': 'Withdraw claim',
  'conflicts.noteRequired': 'Please add a note',
  'conflicts.done': 'Conflict resolved',
  'conflicts.empty': 'No conflicts',
};

export const conflictsMessages = { zh, en };
