// A tiny SVG line chart, enough for throughput and latency over time (no chart dependency).
export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
}

/** A stretch of the x axis shaded in every panel, e.g. an outage. */
export interface ShadedWindow {
  from: number;
  to: number;
  label: string;
}

export interface Panel {
  title: string;
  yLabel: string;
  series: Series[];
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((step) => step * magnitude).find((candidate) => candidate >= value)!;
}

/** Panels stacked vertically, sharing the x axis (seconds). */
export function lineChartsSvg(title: string, panels: Panel[], xLabel = 'seconds since the load began', windows: ShadedWindow[] = []): string {
  const width = 900;
  const panelHeight = 260;
  const margin = { left: 70, right: 170, top: 50, bottom: 40 };
  const plotWidth = width - margin.left - margin.right;
  const height = margin.top + panels.length * (panelHeight + margin.bottom) + 10;
  const xMax = niceMax(Math.max(1, ...windows.map((window) => window.to), ...panels.flatMap((panel) => panel.series.flatMap((series) => series.points.map(([x]) => x)))));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16">${escape(title)}</text>`,
  ];
  panels.forEach((panel, index) => {
    const top = margin.top + index * (panelHeight + margin.bottom);
    const plotHeight = panelHeight - 30;
    const yMax = niceMax(Math.max(1, ...panel.series.flatMap((series) => series.points.map(([, y]) => y))));
    const x = (value: number) => margin.left + (value / xMax) * plotWidth;
    const y = (value: number) => top + 20 + plotHeight - (value / yMax) * plotHeight;
    for (const window of windows) {
      const left = x(Math.max(0, window.from));
      const right = x(Math.min(xMax, window.to));
      parts.push(`<rect x="${left.toFixed(1)}" y="${top + 20}" width="${Math.max(0, right - left).toFixed(1)}" height="${plotHeight}" fill="#f4c7c3" fill-opacity="0.5"/>`);
      parts.push(`<text x="${((left + right) / 2).toFixed(1)}" y="${top + 34}" text-anchor="middle" fill="#a33">${escape(window.label)}</text>`);
    }
    parts.push(`<text x="${margin.left}" y="${top + 12}" font-size="13">${escape(panel.title)}</text>`);
    for (let tick = 0; tick <= 4; tick += 1) {
      const value = (yMax * tick) / 4;
      parts.push(`<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="#ddd"/>`);
      parts.push(`<text x="${margin.left - 6}" y="${y(value) + 4}" text-anchor="end">${Math.round(value)}</text>`);
    }
    for (let tick = 0; tick <= 10; tick += 1) {
      const value = (xMax * tick) / 10;
      parts.push(`<text x="${x(value)}" y="${top + 20 + plotHeight + 16}" text-anchor="middle">${Math.round(value)}</text>`);
    }
    parts.push(`<text transform="translate(16 ${top + 20 + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(panel.yLabel)}</text>`);
    panel.series.forEach((series, seriesIndex) => {
      if (series.points.length > 0) {
        const path = series.points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ');
        parts.push(`<path d="${path}" fill="none" stroke="${series.color}" stroke-width="1.6"/>`);
      }
      const legendY = top + 30 + seriesIndex * 18;
      parts.push(`<rect x="${margin.left + plotWidth + 14}" y="${legendY - 9}" width="12" height="3" fill="${series.color}"/>`);
      parts.push(`<text x="${margin.left + plotWidth + 32}" y="${legendY - 4}">${escape(series.name)}</text>`);
    });
  });
  parts.push(`<text x="${margin.left + plotWidth / 2}" y="${height - 6}" text-anchor="middle">${escape(xLabel)}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
