// A horizontal bar chart, its figures at the end of each bar, and the same figures as a table for
// screen readers. The drawing (recharts) is loaded on first use.
import { lazy, Suspense } from 'react';
import { useI18n } from './i18n';

const BarCanvas = lazy(() => import('./BarCanvas'));

export interface BarSeries<Row> {
  key: keyof Row & string;
  label: string;
  color: string;
  /** The text at the end of each bar and in the table; the value by default. */
  barLabel?: (row: Row) => string;
}

export interface HorizontalBarsProps<Row> {
  title: string;
  /** When the heading above already says what the chart is. */
  titleHidden?: boolean;
  rows: Row[];
  series: BarSeries<Row>[];
  /** The table's first column, naming the bars. */
  tableHeading: string;
}

export function HorizontalBars<Row extends { name: string }>({ title, titleHidden = false, rows, series, tableHeading }: HorizontalBarsProps<Row>) {
  const { formatNumber } = useI18n();
  const valueOf = (row: Row, entry: BarSeries<Row>) => Number(row[entry.key]) || 0;
  const labelOf = (row: Row, entry: BarSeries<Row>) => (entry.barLabel ? entry.barLabel(row) : formatNumber(valueOf(row, entry)));
  const canvasRows = rows.map((row) => {
    const drawn: { name: string } & Record<`value${number}` | `label${number}`, number | string> = { name: row.name };
    series.forEach((entry, index) => {
      drawn[`value${index}`] = valueOf(row, entry);
      drawn[`label${index}`] = labelOf(row, entry);
    });
    return drawn;
  });
  return (
    <figure className="chart">
      <figcaption className={titleHidden ? 'visually-hidden' : undefined}>{title}</figcaption>
      <div className="chart-canvas" aria-hidden="true">
        <Suspense fallback={null}>
          <BarCanvas rows={canvasRows} series={series.map(({ label, color }) => ({ label, color }))} formatNumber={formatNumber} />
        </Suspense>
      </div>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{tableHeading}</th>
            {series.map((entry) => (
              <th key={entry.key} scope="col">
                {entry.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <th scope="row">{row.name}</th>
              {series.map((entry) => (
                <td key={entry.key}>{labelOf(row, entry)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
