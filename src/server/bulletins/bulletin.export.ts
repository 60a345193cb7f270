import ExcelJS from 'exceljs';
import { chinaDay } from '../../standard/normalize.ts';
import { watchRuleText } from './bulletin.figures.ts';
import { settingsOf, storedRows, type BulletinRecord } from './bulletin.service.ts';

type Row = ReturnType<typeof storedRows>[number];

const percent = (value: number) => Math.round(value * 1000) / 10;
/** A share in percent, or — when there is none (quality before anything was reviewed). */
const percentOrDash = (value: number | null) => (value === null ? '—' : percent(value));
const signed = (value: number | null | undefined, digits = 1) => (value == null ? '—' : `${value > 0 ? '+' : ''}${value.toFixed(digits)}`);

const headers = [
  '排名', '单位', '学校数', '已通过学校', '学校通过率(%)', '应有人数', '已录入', '已审核', '缺口人数', '完成率(%)', '完成率排名',
  '到期任务', '按期完成', '及时率(%)', '及时率排名', '曾退回', '有核查提示', '质量(%)', '质量排名', '绩效得分', '得分环比', '排名变化', '约谈', '进度最慢的县市区',
];

function sheetFor(workbook: ExcelJS.Workbook, name: string, title: string, rows: Row[]) {
  const sheet = workbook.addWorksheet(name);
  sheet.mergeCells(1, 1, 1, headers.length);
  sheet.getCell(1, 1).value = title;
  sheet.getCell(1, 1).font = { bold: true, size: 14 };
  sheet.getCell(1, 1).alignment = { horizontal: 'center' };
  const head = sheet.getRow(2);
  head.values = headers;
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  for (const row of rows) {
    sheet.addRow([
      row.ranks.overall, row.name, row.schools, row.schoolsApproved, percent(row.schoolsApprovedShare), row.expectedStaff, row.liveStaff, row.approvedStaff, row.shortfall,
      percent(row.completion), row.ranks.completion, row.deadlines, row.deadlinesMet, percent(row.timeliness), row.ranks.timeliness,
      row.returned, row.withFindings, percentOrDash(row.quality), row.ranks.quality ?? '—', row.score, signed(row.change?.score),
      row.change ? signed(row.change.rank, 0) : '—', row.watch ? '是' : '', row.slowest.map((s) => `${s.name} ${percent(s.completion)}%`).join('、'),
    ]);
  }
  sheet.columns.forEach((column, index) => {
    column.width = index === 1 ? 22 : index === headers.length - 1 ? 40 : 10;
  });
  sheet.views = [{ state: 'frozen', ySplit: 2, xSplit: 2 }];
}

/** The bulletin as a workbook: one sheet for the prefectures, one for the universities, one for the method. */
export async function bulletinWorkbook(bulletin: BulletinRecord): Promise<Buffer> {
  const rows = storedRows(bulletin);
  const { weights, watchRule } = settingsOf(bulletin);
  const workbook = new ExcelJS.Workbook();
  workbook.created = bulletin.publishedAt ?? bulletin.computedAt;
  sheetFor(workbook, '市州', `${bulletin.title} — 市州`, rows.filter((row) => row.group === 'prefecture'));
  sheetFor(workbook, '高等学校', `${bulletin.title} — 高等学校`, rows.filter((row) => row.group === 'university'));
  const notes = workbook.addWorksheet('说明');
  notes.columns = [{ width: 18 }, { width: 90 }];
  const { completion: wc, timeliness: wt, quality: wq } = weights;
  notes.addRows([
    ['通报日期', bulletin.asOf],
    ['状态', bulletin.status === 'published' ? `已发布 ${bulletin.publishedAt ? chinaDay(bulletin.publishedAt) : ''}` : '草稿'],
    ['数据时点', `截至 ${bulletin.asOf} 24:00（北京时间）：各项数字按当时的录入、确认、审核与报送状态计算，此后的录入、审核与通过不计入`],
    ['应有人数', '截至通报日期未撤销、未被合并的学校的应有人数之和'],
    ['缺口人数', '逐校计算：各校应有人数 − 已录入人数（不小于 0）之和；一校多录的人数不抵他校的缺口'],
    ['完成率', '学校已审核的教职工人数 ÷ 应有人数'],
    ['及时率', '截至通报日期已到期的任务中按期完成的比例：须在截止日 24:00（北京时间）前完成。手动标记的任务以标记操作的时间为准（不以填写的完成日期为准）；报送以首次报送时间、审核以最后一个下级单位通过的时间、责任人信息以首次报送时间为准'],
    ['质量', '1 − 曾被退回或有核查提示的记录占已录入记录的比例。尚未审核任何记录（既无审核通过也无退回）的单位不计质量，记为“—”，不参加质量排名'],
    ['绩效得分', `100 ×（完成率 × ${wc} + 及时率 × ${wt} + 质量 × ${wq}）；不计质量的单位按其余两项折算：100 ×（完成率 × ${wc} + 及时率 × ${wt}）÷ ${Math.round((wc + wt) * 100) / 100}`],
    ['约谈名单', `${watchRuleText(watchRule.bottom)}${watchRule.belowScore !== null ? `；另列入得分低于 ${watchRule.belowScore} 分的单位` : ''}`],
    ['环比', '与上一期已发布通报相比'],
    ...(bulletin.remarks ? [['备注', bulletin.remarks]] : []),
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
