// The drawing half of HorizontalBars, loaded on first use: recharts is most of a chart's weight.
import { useSyncExternalStore } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface BarCanvasProps {
  /** One entry per bar group: `value0`, `value1`, … per series, and `label0`, `label1`, … for the text at each bar's end. */
  rows: ReadonlyArray<{ name: string } & Record<`value${number}` | `label${number}`, number | string>>;
  series: ReadonlyArray<{ label: string; color: string }>;
  formatNumber: (value: number) => string;
}

const ROW_HEIGHT = 30;
const PHONE = '(max-width: 600px)';

function useIsPhone(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(PHONE);
      query.addEventListener('change', onChange);
      return () => query.removeEventListener('change', onChange);
    },
    () => window.matchMedia(PHONE).matches,
  );
}

export default function BarCanvas({ rows, series, formatNumber }: BarCanvasProps) {
  const height = Math.max(120, rows.length * (ROW_HEIGHT + 8 * (series.length - 1)) + (series.length > 1 ? 70 : 40));
  const longestName = rows.reduce((longest, row) => Math.max(longest, row.name.length), 0);
  // A phone's width goes to the bars: smaller type, narrower names and labels.
  const phone = useIsPhone();
  const fontSize = phone ? 10 : 12;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={[...rows]} layout="vertical" margin={{ top: 4, right: phone ? 92 : 136, bottom: 4, left: 0 }}>
        <CartesianGrid horizontal={false} strokeDasharray="3 3" />
        <XAxis type="number" allowDecimals={false} tickFormatter={(value: number) => formatNumber(value)} tick={{ fontSize }} />
        <YAxis type="category" dataKey="name" width={Math.min(phone ? 96 : 230, 12 + longestName * fontSize * 0.62)} tick={{ fontSize }} />
        <Tooltip formatter={(value) => (typeof value === 'number' ? formatNumber(value) : String(value))} />
        {series.length > 1 && <Legend />}
        {series.map((entry, index) => (
          <Bar key={entry.label} dataKey={`value${index}`} name={entry.label} fill={entry.color} isAnimationActive={false}>
            <LabelList dataKey={`label${index}`} position="right" fontSize={fontSize} />
          </Bar>
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
