// A uPlot line chart of a series embedded in the page as JSON
// (<script type="application/json">, data that CSP lets through as it never runs).
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Series {
  label: string;
  points: [number, number][]; // [unix seconds, value]
  bars?: boolean;
}

export function startStatsChart(el: HTMLElement): void {
  const data = el.querySelector('script[type="application/json"]');
  if (!data?.textContent) return;
  const series = JSON.parse(data.textContent) as Series;
  if (!series.points.length) return;
  const xs = series.points.map((p) => p[0]);
  const ys = series.points.map((p) => p[1]);
  const width = Math.max(320, el.clientWidth || 640);
  new uPlot(
    {
      width,
      height: 240,
      series: [{}, { label: series.label, stroke: '#0b5cad', fill: 'rgba(11,92,173,0.12)', width: 2, ...(series.bars ? { paths: uPlot.paths.bars!({ size: [0.6, 40] }) } : {}) }],
      axes: [{}, { size: 60 }],
      scales: { x: { time: true } },
    },
    [xs, ys],
    el,
  );
}
