import { schoolTypeLabels } from '../../standard/school-types.ts';
import type { AreaFigures, SchoolTypeFigures, WeeklySnapshot } from './weekly-figures.ts';
import type { IssueNo } from './weekly-issues.ts';
import { reportsToProvince } from '../../contract/units.ts';

/**
 * The table of each issue in the attachment's layout, laid out once here for the page, the .xlsx and the
 * print page: issue 1 (县级部署和培训) and issue 4 (县级审核与报送) a line per unit below, issues 2 and 3
 * (各类学校数据与报送) a line per school type. Issues 2 and 3 add, after the attachment's columns, 本人已确认 in
 * its two kinds (本人手机确认, 学校登记纸质确认); a report frozen before the kinds were counted shows without them.
 */
export type IssueTable = { columns: { zh: string; en: string }[]; rows: { label: string; values: number[]; total?: boolean }[] };

const columnsByIssue: Record<'deployment' | 'data' | 'review', { zh: string; en: string }[]> = {
  deployment: [
    { zh: '区县数', en: 'Counties' },
    { zh: '已制定实施方案', en: 'Plan made' },
    { zh: '已完成部署和培训', en: 'Deployed and trained' },
    { zh: '学校数', en: 'Schools' },
    { zh: '已开展培训学校数', en: 'Schools trained' },
  ],
  data: [
    { zh: '学校数', en: 'Schools' },
    { zh: '已开始录入学校数', en: 'Schools started' },
    { zh: '已报送学校数', en: 'Schools submitted' },
    { zh: '报送单位已审核学校数', en: 'Schools approved' },
    { zh: '应有教职工数', en: 'Staff expected' },
    { zh: '已录入', en: 'Entered' },
    { zh: '本人已确认', en: 'Confirmed' },
    { zh: '学校已审核', en: 'Approved by school' },
  ],
  review: [
    { zh: '区县数', en: 'Counties' },
    { zh: '已报送区县数', en: 'Counties submitted' },
    { zh: '已审核通过区县数', en: 'Counties approved' },
    { zh: '学校数', en: 'Schools' },
    { zh: '县级已审核学校数', en: 'Schools approved by the county' },
    { zh: '学校已审核教职工数', en: 'Staff approved' },
  ],
};

/** 本人已确认 in its two kinds (they add up to it), after the attachment's columns of issues 2 and 3. */
const confirmationColumns: { zh: string; en: string }[] = [
  { zh: '其中：本人手机确认', en: 'Of confirmed: by phone' },
  { zh: '其中：学校登记纸质确认', en: 'Of confirmed: on paper' },
];

const sectionOf = (issueNo: IssueNo) => (issueNo === 1 ? 'deployment' : issueNo === 4 ? 'review' : 'data');

const sum = (lines: SchoolTypeFigures[], key: keyof Omit<SchoolTypeFigures, 'schoolType'>) => lines.reduce((total, line) => total + line[key], 0);

/** Universities report to the province; issues 1 and 4 are about the counties' work, so they leave them out. */
const countyLines = (figures: AreaFigures) => figures.schoolTypes.filter((line) => !reportsToProvince(line.schoolType));

/** Whether the figures count confirmations by kind (a snapshot frozen before they did does not). */
const hasKinds = (lines: SchoolTypeFigures[]) => lines.every((line) => typeof line.staffConfirmedPhone === 'number' && typeof line.staffConfirmedPaper === 'number');

function typeValues(line: SchoolTypeFigures | SchoolTypeFigures[], withKinds: boolean): number[] {
  const lines = Array.isArray(line) ? line : [line];
  return [
    sum(lines, 'schools'),
    sum(lines, 'started'),
    sum(lines, 'submitted'),
    sum(lines, 'approved'),
    sum(lines, 'staffExpected'),
    sum(lines, 'staffEntered'),
    sum(lines, 'staffConfirmed'),
    sum(lines, 'staffApproved'),
    ...(withKinds ? [sum(lines, 'staffConfirmedPhone'), sum(lines, 'staffConfirmedPaper')] : []),
  ];
}

/** One area's values for an issue (issues 2 and 3 summed over school types). */
export function areaValues(figures: AreaFigures, issueNo: IssueNo, withKinds = hasKinds(figures.schoolTypes)): number[] {
  const section = sectionOf(issueNo);
  if (section === 'data') return typeValues(figures.schoolTypes, withKinds);
  const lines = countyLines(figures);
  if (section === 'deployment') return [figures.counties.total, figures.counties.planDone, figures.counties.trainingDone, sum(lines, 'schools'), sum(lines, 'trained')];
  return [figures.counties.total, figures.counties.submitted, figures.counties.approved, sum(lines, 'schools'), sum(lines, 'approved'), sum(lines, 'staffApproved')];
}

export function issueColumns(issueNo: IssueNo, withKinds = true) {
  const section = sectionOf(issueNo);
  return section === 'data' && withKinds ? [...columnsByIssue.data, ...confirmationColumns] : columnsByIssue[section];
}

/** The table of one unit's report for an issue. */
export function issueTable(snapshot: WeeklySnapshot, issueNo: IssueNo): IssueTable {
  const withKinds = hasKinds(snapshot.totals.schoolTypes);
  const columns = issueColumns(issueNo, withKinds);
  if (sectionOf(issueNo) === 'data') {
    return {
      columns,
      rows: [
        ...snapshot.totals.schoolTypes.map((line) => ({ label: schoolTypeLabels[line.schoolType].zh, values: typeValues(line, withKinds) })),
        { label: '合计', values: typeValues(snapshot.totals.schoolTypes, withKinds), total: true },
      ],
    };
  }
  return {
    columns,
    rows: [
      ...snapshot.rows.map((row) => ({ label: row.name, values: areaValues(row.figures, issueNo) })),
      { label: snapshot.rows.length ? '合计' : snapshot.unit.name, values: areaValues(snapshot.totals, issueNo), total: true },
    ],
  };
}

/**
 * The parent's table of the reports below it: a line per unit's own figures, and their sum. The province
 * adds its universities (they report to it directly) to issues 2 and 3, so the Ministry's summary is whole.
 */
export function summaryTable(items: { label: string; snapshot: WeeklySnapshot }[], issueNo: IssueNo, own?: WeeklySnapshot): IssueTable {
  const universities = own?.totals.schoolTypes.find((line) => reportsToProvince(line.schoolType));
  // The kinds are shown only when every report summed counts them.
  const withKinds = hasKinds([...items.flatMap((item) => item.snapshot.totals.schoolTypes), ...(universities ? [universities] : [])]);
  const rows = items.map((item) => ({ label: item.label, values: areaValues(item.snapshot.totals, issueNo, withKinds) }));
  if (universities && sectionOf(issueNo) === 'data') rows.push({ label: schoolTypeLabels.higher_ed.zh, values: typeValues(universities, withKinds) });
  const columns = issueColumns(issueNo, withKinds);
  const totals = columns.map((_, index) => rows.reduce((total, row) => total + row.values[index], 0));
  return { columns, rows: [...rows, { label: '合计', values: totals, total: true }] };
}

/** The header's count label: 所辖区县数 for a prefecture (the attachment's), its analogue elsewhere. */
export function subunitLabel(kind: string): string {
  if (kind === 'county') return '所辖学校数';
  if (kind === 'province') return '所辖市（州）数';
  return '所辖区县数';
}

/** Names of the lines lagging on a count: a county by name, a prefecture with how many of its counties. */
function lagging(rows: WeeklySnapshot['rows'], pick: (figures: AreaFigures) => { total: number; done: number }): string[] {
  return rows.flatMap((row) => {
    const { total, done } = pick(row.figures);
    if (done >= total) return [];
    return [total === 1 ? row.name : `${row.name}（${total - done} 个区县）`];
  });
}

/**
 * （其中 N 所由XX代为标记）: the schools whose 培训 their county marked on their behalf (a snapshot frozen before
 * such marks were told apart has none).
 */
function onBehalfNote(snapshot: WeeklySnapshot, lines: SchoolTypeFigures[]): string {
  const count = lines.reduce((total, line) => total + (line.trainedOnBehalf ?? 0), 0);
  if (count === 0) return '';
  return `（其中 ${count} 所由${snapshot.unit.kind === 'county' ? snapshot.unit.name : '所在县市区'}代为标记）`;
}

const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : '—');

/**
 * A draft of 备注 from the figures, for the preparer to edit: who lags in issues 1 and 4, and how far each
 * school type has come in issues 2 and 3. Every number comes from the snapshot.
 */
export function suggestedRemarks(snapshot: WeeklySnapshot, issueNo: IssueNo): string {
  const { totals, rows } = snapshot;
  const lines = countyLines(totals);
  const schools = sum(lines, 'schools');
  const section = sectionOf(issueNo);
  if (section === 'data') {
    return totals.schoolTypes
      .filter((line) => line.schools > 0)
      .map((line) => `${schoolTypeLabels[line.schoolType].zh}：${line.schools - line.started} 所学校尚未开始录入，已录入 ${line.staffEntered} 人，应有 ${line.staffExpected} 人（${percent(line.staffEntered, line.staffExpected)}），学校已审核 ${line.staffApproved} 人，已报送 ${line.submitted} 所。`)
      .join('\n');
  }
  if (section === 'deployment') {
    const behind = lagging(rows, (figures) => ({ total: figures.counties.total, done: figures.counties.trainingDone }));
    return [
      rows.length
        ? behind.length ? `尚未完成工作部署和培训：${behind.join('、')}。` : '所辖区县均已完成工作部署和培训。'
        : totals.counties.trainingDone > 0 ? '本县市区已完成工作部署和培训。' : '本县市区尚未登记完成工作部署和培训。',
      `已开展培训的学校 ${sum(lines, 'trained')} / ${schools} 所${onBehalfNote(snapshot, lines)}。`,
    ].join('\n');
  }
  const notSubmitted = lagging(rows, (figures) => ({ total: figures.counties.total, done: figures.counties.submitted }));
  return [
    rows.length
      ? notSubmitted.length ? `尚未报送：${notSubmitted.join('、')}。` : '所辖区县均已报送。'
      : totals.counties.submitted > 0 ? '本县市区已报送。' : '本县市区尚未报送。',
    `县级已审核学校 ${sum(lines, 'approved')} / ${schools} 所，学校已审核教职工 ${sum(lines, 'staffApproved')} 人。`,
  ].join('\n');
}
