/** The product mark: 点 in a rounded square, drawn inline so it needs no asset. */
export function BrandMark({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 48 48" role="img" aria-label="点名 Rollcall">
      <rect width="48" height="48" rx="11" fill="#1668dc" />
      <text x="24" y="33" textAnchor="middle" fontSize="26" fontWeight="700" fill="#fff" fontFamily="'WenQuanYi Micro Hei', 'PingFang SC', 'Microsoft YaHei', sans-serif">
        点
      </text>
    </svg>
  );
}
