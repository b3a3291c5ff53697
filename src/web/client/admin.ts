// Entry of the back office bundle: islands of /admin pages, by data-admin-island.
// Modules add one line each.
import { startStatsChart } from '../../modules/audience/client/stats-chart.js';
import { startLiveConsole } from '../../modules/live/client/console.js';

const islands: Record<string, (el: HTMLElement) => void | Promise<void>> = {
  'stats-chart': startStatsChart,
  'live-console': startLiveConsole,
};

for (const el of document.querySelectorAll<HTMLElement>('[data-admin-island]')) {
  const start = islands[el.dataset.adminIsland!];
  if (start) void start(el);
}
