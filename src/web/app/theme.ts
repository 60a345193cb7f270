import type { ThemeConfig } from 'antd';

/** The antd theme: a government-blue primary, CJK-first fonts, a light sider. */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1668dc',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { headerBg: '#001529', headerHeight: 56, headerPadding: '0 20px', siderBg: '#ffffff', bodyBg: '#f3f5f9' },
    // Some twenty menu entries in four groups: compact rows, so the unit tree below stays in view.
    Menu: { itemHeight: 34, itemMarginBlock: 2, groupTitleFontSize: 12 },
  },
};
