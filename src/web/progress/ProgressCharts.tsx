import { useEffect, useRef } from 'react';
import { Card, Col, Row } from 'antd';
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useI18n } from '../shared/I18nProvider';
import type { ProgressTrend, UnitProgress } from './progress-api';

// Only the charts this page draws, so the rest of the app never loads ECharts.
echarts.use([FunnelChart, BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

const colors = { expected: '#d9d9d9', entered: '#69b1ff', confirmed: '#1677ff', confirmedPhone: '#1677ff', confirmedPaper: '#722ed1', approved: '#52c41a' };
/** The bars show at most this many children (the most lagging); the table lists them all. */
export const barLimit = 30;

function EChart({ option, height, testId }: { option: echarts.EChartsCoreOption; height: number; testId: string }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const instance = echarts.init(element.current);
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current!);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, true);
  }, [option]);
  return <div ref={element} style={{ height, width: '100%' }} data-testid={testId} />;
}

/** The funnel, the per-child bars and the trend of a unit's progress (ECharts, loaded with this page only). */
export function ProgressCharts({ progress, trend }: { progress: UnitProgress; trend: ProgressTrend | undefined }) {
  const { t, lang } = useI18n();
  const staffLabel = {
    expected: t('progress.staff.expected'),
    entered: t('progress.staff.entered'),
    confirmed: t('progress.staff.confirmed'),
    confirmedPhone: t('progress.staff.confirmedPhone'),
    confirmedPaper: t('progress.staff.confirmedPaper'),
    approved: t('progress.staff.approved'),
  };
  // The confirmed stage names its two kinds on its own line: 已确认 50%  50（手机确认 40 · 纸质确认 10）.
  const partsText = (parts: UnitProgress['funnel'][number]['parts']) =>
    parts ? `（${parts.map((part) => `${part.kind === 'phone' ? t('progress.staff.confirmedPhone') : t('progress.staff.confirmedPaper')} ${part.value}`).join(' · ')}）` : '';
  const funnel: echarts.EChartsCoreOption = {
    tooltip: { trigger: 'item', formatter: (item: { name: string; value: number; data: { parts: string } }) => `${item.name}: ${item.value}${item.data.parts}` },
    series: [
      {
        type: 'funnel',
        sort: 'none',
        left: '4%',
        width: '58%',
        minSize: '6%',
        label: { show: true, position: 'right', formatter: (item: { name: string; value: number; data: { parts: string } }) => `${item.name}  ${item.value}${item.data.parts}` },
        labelLine: { length: 12 },
        data: progress.funnel.map((stage) => ({
          name: `${stage.label[lang]}${stage.percent === null || stage.stage === 'expected' ? '' : ` ${stage.percent}%`}`,
          value: stage.value,
          parts: partsText(stage.parts),
          itemStyle: { color: colors[stage.stage] },
        })),
      },
    ],
  };
  const shown = progress.children.slice(0, barLimit);
  const bars: echarts.EChartsCoreOption = {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: shown.map((child) => child.name), axisLabel: { width: 200, overflow: 'truncate' } },
    // Drawn over one another: expected behind, then entered, confirmed (by phone, then on paper, one bar) and
    // approved in front.
    series: (['expected', 'entered', 'confirmedPhone', 'confirmedPaper', 'approved'] as const).map((key) => {
      const layer = { expected: 0, entered: 1, confirmedPhone: 2, confirmedPaper: 2, approved: 3 }[key];
      return {
        type: 'bar',
        name: staffLabel[key],
        barGap: '-100%',
        barWidth: layer === 0 ? 14 : 10 - layer * 2 + 2,
        ...(layer === 2 ? { stack: 'confirmed' } : {}),
        itemStyle: { color: colors[key] },
        data: shown.map((child) => child.progress.staff[key]),
      };
    }),
  };
  const days = trend?.days ?? [];
  const line: echarts.EChartsCoreOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', boundaryGap: false, data: days.map((point) => point.day.slice(5)) },
    yAxis: { type: 'value', max: (extent: { max: number }) => Math.max(extent.max, trend?.expectedStaff ?? 0) },
    series: (['entered', 'confirmed', 'approved'] as const).map((key, index) => ({
      type: 'line',
      name: staffLabel[key],
      smooth: false,
      showSymbol: days.length <= 31,
      itemStyle: { color: colors[key] },
      data: days.map((point) => point[key]),
      ...(index === 0 && trend
        ? { markLine: { symbol: 'none', lineStyle: { type: 'dashed', color: '#8c8c8c' }, label: { position: 'insideEndTop', formatter: `${staffLabel.expected} {c}` }, data: [{ yAxis: trend.expectedStaff }] } }
        : {}),
    })),
  };

  return (
    <Row gutter={[16, 16]} className="rc-section">
      <Col xs={24} lg={10}>
        <Card title={t('progress.funnel')} size="small">
          <EChart option={funnel} height={280} testId="progress-funnel" />
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card title={t('progress.trend')} size="small">
          <EChart option={line} height={280} testId="progress-trend" />
        </Card>
      </Col>
      {shown.length > 0 && (
        <Col span={24}>
          <Card title={progress.children.length > barLimit ? t('progress.barsTop', { count: barLimit }) : t('progress.bars')} size="small">
            <EChart option={bars} height={Math.max(200, shown.length * 26 + 60)} testId="progress-bars" />
          </Card>
        </Col>
      )}
    </Row>
  );
}
