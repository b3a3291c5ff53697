// The report's shape (also what bench/results/*.json holds) and its text tables.
import type { LoadResult } from './wrk.js';
import type { SearchLatency } from './search.js';
import type { Fixtures } from './fixtures.js';
import type { ForumIntegrity } from './forum-fixtures.js';

export interface Row {
  name: string;
  kind: 'portal' | 'bare';
  url: string;
  bodyBytes: number;
  result: LoadResult;
  /** For portal rows: the bare row it is compared with, and req/s ÷ that row's req/s. */
  baseline?: string;
  ratio?: number;
  /** met: null where the goal is another database's. */
  goal?: { text: string; met: boolean | null };
  /** BENCH_ROUNDS > 1: each round's figures (the row shows medians). */
  rounds?: { rps: number; ratio?: number }[];
  /** Portal rows: the portal's resident memory (RSS, MiB) right after the run (bench/resident.ts). */
  rssMb?: number;
}

/** Reaction writes to one article: what the load generator saw against what was stored. */
export interface WriteCheck {
  articleId: number;
  /** Answers with a 2xx status (the probe, the warm-up and the measured runs). */
  ok2xx: number;
  /** Requests wrk had sent but not seen answered when it stopped (the portal still processes them). */
  unanswered: number;
  /** The counts the reactions API showed before the portal stopped. */
  countersLive?: number;
  /** Stored reaction rows and the sum of the stored counters, read after the portal stopped. */
  rows?: number;
  counters?: number;
  exact?: boolean;
}

/** A scenario's request sent one at a time (the runner's sequential probe), ms. */
export interface SequentialProbe {
  name: string;
  requests: number;
  /** The first request (not counted). */
  first: number;
  p50: number;
  p95: number;
  max: number;
}

/** Forum replies: what the load generator and the burst saw against the posts stored (read after the portal stopped). */
export interface ForumCheck {
  /** Per group of reply topics written under wrk: 2xx answers (probe, warm-ups, runs), requests in flight at the stops, posts added. */
  writes: { scenario: string; group: 'load' | 'hot'; ok2xx: number; unanswered: number; added: number; exact: boolean }[];
  burst?: { requests: number; concurrency: number; seconds: number; statuses: Record<string, number>; ok2xx: number; added?: number; exact?: boolean };
  integrity: ForumIntegrity;
  /** What disagrees, in words; empty when exact. */
  problems: string[];
  exact: boolean;
}

export interface DatabaseReport {
  database: 'PGlite' | 'PostgreSQL';
  redis: boolean;
  databaseUrl?: string;
  dataDir: string;
  startedAt: string;
  seconds: number;
  loadavgBefore: number[];
  loadavgAfter: number[];
  /** The portal's resident memory (MiB): once up, and its peak (VmHWM) when the last scenario ended. */
  memory?: { startMb: number; peakMb: number };
  articlePath: string;
  corpus: Fixtures['corpus'];
  comments: number;
  rows: Row[];
  writes: WriteCheck[];
  burst?: WriteCheck & { requests: number; concurrency: number; seconds: number; statuses: Record<string, number> };
  search?: SearchLatency & { goal: { text: string; met: boolean | null } };
  forum?: ForumCheck;
  sequential?: SequentialProbe[];
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtPct = (r: number) => `${(r * 100).toFixed(r < 0.1 ? 1 : 0)} %`;
export const fmtMs = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const verdict = (met: boolean | null) => (met === null ? 'n/a here' : met ? 'met' : 'NOT met');

function table(header: string[], rows: string[][], leftColumns = 1): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

export function formatReport(r: DatabaseReport, settings: { wrk: string; durationSec: number; warmupSec: number; connections: number; threads: number; rounds: number }): string {
  const rows = r.rows.map((row) => {
    const e = row.result.errors;
    return [
      row.name,
      fmtInt(row.bodyBytes),
      fmtInt(row.result.rps),
      row.result.requests ? fmtMs(row.result.latency.p50) : '—',
      row.result.requests ? fmtMs(row.result.latency.p99) : '—',
      row.rssMb === undefined ? '' : fmtInt(row.rssMb),
      row.ratio === undefined ? '' : fmtPct(row.ratio),
      String(row.result.non2xx3xx),
      String(e.connect + e.read + e.write + e.timeout),
      row.goal ? `${verdict(row.goal.met)}: ${row.goal.text}` : '',
    ];
  });
  const out = [
    '',
    `== ${r.database}${r.redis ? ' + Redis' : ''}${r.databaseUrl ? ` (${r.databaseUrl})` : ''} — ${r.startedAt}, ${r.seconds} s`,
    `load: ${settings.wrk}, ${settings.durationSec} s after ${settings.warmupSec} s of warm-up, ${settings.connections} connections, ${settings.threads} threads${settings.rounds > 1 ? `; medians of ${settings.rounds} rounds` : ''}; load average ${r.loadavgBefore.join(' ')} before, ${r.loadavgAfter.join(' ')} after`,
    `data: ${r.corpus.articles.toLocaleString('en-US')} generated articles (search corpus${r.corpus.builtNow ? `, built in this run in ${r.corpus.buildSeconds} s` : ''}) + the demo portal; article ${r.articlePath}`,
    '',
    ...table(['scenario', 'body B', 'req/s', 'p50 ms', 'p99 ms', 'RSS MB', 'vs bare', 'non-2xx/3xx', 'socket errors', 'goal'], rows),
    '',
    '"vs bare": req/s ÷ the bare node:http server\'s req/s answering the same size and kind of body (same method, status and wrk script), in this run.',
    `"RSS MB": the portal's resident memory after the scenario's run${r.memory ? `; ${fmtInt(r.memory.startMb)} MB once up, peak ${fmtInt(r.memory.peakMb)} MB` : ''}.`,
  ];
  if (r.writes.length || r.burst) {
    out.push('', 'Reaction writes — exact counts (stored rows and counters read from the database after the portal stopped):');
    for (const w of r.writes) {
      out.push(
        `  under wrk (article ${w.articleId}): ${fmtInt(w.ok2xx)} answered 2xx + ${fmtInt(w.unanswered)} in flight when wrk stopped; stored rows ${fmtInt(w.rows ?? NaN)}, counters ${fmtInt(w.counters ?? NaN)} (API ${fmtInt(w.countersLive ?? NaN)}) — ${w.exact ? 'exact: counters == rows == 2xx + in flight' : 'NOT exact'}`,
      );
    }
    if (r.burst) {
      const b = r.burst;
      const other = Object.entries(b.statuses).filter(([s]) => !s.startsWith('2'));
      out.push(
        `  bounded burst (article ${b.articleId}): ${fmtInt(b.requests)} writes, ${b.concurrency} at a time, ${fmtInt(b.requests / b.seconds)}/s: ${fmtInt(b.ok2xx)} answered 2xx${other.length ? ` (others: ${other.map(([s, n]) => `${n}× ${s}`).join(', ')})` : ''}; stored rows ${fmtInt(b.rows ?? NaN)}, counters ${fmtInt(b.counters ?? NaN)} (API ${fmtInt(b.countersLive ?? NaN)}) — ${b.exact ? 'exact: counters == rows == 2xx responses' : 'NOT exact'}`,
      );
    }
  }
  if (r.forum) out.push('', ...forumLines(r.forum).map((l) => `  ${l}`).map((l, i) => (i === 0 ? l.trimStart() : l)));
  for (const p of r.sequential ?? []) {
    out.push('', `${p.name}, one request at a time (${p.requests} requests after a first of ${fmtMs(p.first)} ms): p50 ${fmtMs(p.p50)} ms, p95 ${fmtMs(p.p95)} ms, max ${fmtMs(p.max)} ms`);
  }
  if (r.search) {
    const s = r.search;
    out.push(
      '',
      `Search latency, one request at a time, each answer ranked by the database (${s.rounds} passes over ${s.perQuery.length} queries, ${s.requests} requests): p50 ${fmtMs(s.p50)} ms, p95 ${fmtMs(s.p95)} ms, max ${fmtMs(s.max)} ms — ${verdict(s.goal.met)}: ${s.goal.text}; a fresh portal's first answer to each: p50 ${fmtMs(s.cold.p50)} ms, max ${fmtMs(s.cold.max)} ms`,
      '',
      ...table(
        ['query', 'tries', 'found', 'suggestion', 'bytes', 'first ms', 'p50 ms', 'p95 ms'],
        s.perQuery.map((q) => [q.query, q.label, fmtInt(q.total), q.suggestion ?? '', fmtInt(q.bytes), fmtMs(q.coldMs), fmtMs(q.p50), fmtMs(q.p95)]),
        4,
      ).map((l) => `  ${l}`),
    );
  }
  return out.join('\n') + '\n';
}

/** The forum replies' exact-count check, in lines: the verdict first (loud when it fails). */
function forumLines(f: ForumCheck): string[] {
  const i = f.integrity;
  const lines = [
    f.exact ? 'Forum replies — exact counts (posts and counts read from the database after the portal stopped):' : '!!! Forum replies — COUNTS NOT EXACT (posts and counts read from the database after the portal stopped):',
    ...f.writes.map((w) => `${w.scenario}: ${fmtInt(w.ok2xx)} answered 2xx + ${fmtInt(w.unanswered)} in flight when wrk stopped; ${fmtInt(w.added)} posts added — ${w.exact ? 'exact: 2xx ≤ added ≤ 2xx + in flight' : 'NOT exact'}`),
  ];
  if (f.burst) {
    const b = f.burst;
    const other = Object.entries(b.statuses).filter(([s]) => s !== '201');
    lines.push(`bounded burst: ${fmtInt(b.requests)} replies, ${b.concurrency} at a time, ${fmtInt(b.requests / b.seconds)}/s: ${fmtInt(b.ok2xx)} answered 201${other.length ? ` (others: ${other.map(([s, n]) => `${n}× ${s}`).join(', ')})` : ''}; ${fmtInt(b.added ?? NaN)} posts added — ${b.exact ? 'exact: added == 201s == sent' : 'NOT exact'}`);
  }
  lines.push(
    `every topic of the board (${fmtInt(i.topics)}): post_count == last_number == its posts, numbered 1..n without gaps or duplicates — ${i.badCount ? `NOT: ${i.badCount} topics disagree, e.g. ${JSON.stringify(i.badTopics[0])}` : 'yes'}; posts not published: ${fmtInt(i.notPublished)}`,
    `the board: post_count ${fmtInt(i.board.postCount)}, its topics' sum ${fmtInt(i.board.sum)}; topic_count ${fmtInt(i.board.topicCount)}, topics ${fmtInt(i.board.topics)}; the writers' post counts ${fmtInt(i.members.counted)}, their posts ${fmtInt(i.members.rows)}`,
  );
  for (const p of f.problems) lines.push(`!!! ${p}`);
  return lines;
}

/** With several databases: one line per scenario, the databases side by side. */
export function formatSummary(reports: DatabaseReport[]): string {
  const names = [...new Set(reports.flatMap((r) => r.rows.filter((row) => row.kind === 'portal').map((row) => row.name)))];
  const header = ['scenario', ...reports.flatMap((r) => [`${r.database} req/s`, 'p99 ms', 'vs bare', 'goal'])];
  const rows = names.map((name) => [
    name,
    ...reports.flatMap((r) => {
      const row = r.rows.find((x) => x.name === name);
      if (!row) return ['', '', '', ''];
      return [fmtInt(row.result.rps), fmtMs(row.result.latency.p99), row.ratio === undefined ? '' : fmtPct(row.ratio), row.goal ? verdict(row.goal.met) : ''];
    }),
  ]);
  for (const name of [...new Set(reports.flatMap((r) => (r.sequential ?? []).map((p) => p.name)))]) {
    rows.push([`${name} p50 / p95 ms (sequential)`, ...reports.flatMap((r) => {
      const p = r.sequential?.find((x) => x.name === name);
      return p ? [`${fmtMs(p.p50)} / ${fmtMs(p.p95)}`, '', '', ''] : ['', '', '', ''];
    })]);
  }
  if (reports.some((r) => r.forum)) rows.push(['forum replies: counts exact', ...reports.flatMap((r) => (r.forum ? [r.forum.exact ? 'yes' : 'NO', '', '', ''] : ['', '', '', '']))]);
  if (reports.some((r) => r.search)) {
    rows.push(['search p50 / p95 ms (sequential)', ...reports.flatMap((r) => (r.search ? [`${fmtMs(r.search.p50)} / ${fmtMs(r.search.p95)}`, '', '', verdict(r.search.goal.met)] : ['', '', '', '']))]);
  }
  return ['', '== Summary', '', ...table(header, rows), ''].join('\n');
}

/** The same figures as Markdown tables, for docs/benchmarks.md (written beside the JSON). */
export function formatMarkdown(reports: DatabaseReport[]): string {
  const out: string[] = [];
  const md = (cells: string[]) => `| ${cells.join(' | ')} |`;
  for (const r of reports) {
    out.push(`**${r.database}${r.redis ? ' + Redis' : ''}** — load average ${r.loadavgBefore[0]} before, ${r.loadavgAfter[0]} after`, '');
    out.push(md(['scenario', 'body B', 'req/s', 'p50 ms', 'p99 ms', 'RSS MB', 'vs bare', 'goal']), md(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---']));
    for (const row of r.rows) {
      out.push(md([row.name, fmtInt(row.bodyBytes), fmtInt(row.result.rps), fmtMs(row.result.latency.p50), fmtMs(row.result.latency.p99), row.rssMb === undefined ? '' : fmtInt(row.rssMb), row.ratio === undefined ? '' : fmtPct(row.ratio), row.goal ? `${verdict(row.goal.met)}: ${row.goal.text}` : '']));
    }
    const errors = r.rows.reduce((a, row) => a + row.result.non2xx3xx + Object.values(row.result.errors).reduce((x, y) => x + y, 0), 0);
    out.push('', errors ? `- ${errors} non-2xx/3xx responses or socket errors in all.` : '- No non-2xx/3xx response and no socket error.');
    for (const w of r.writes) out.push(`- Reaction writes under wrk: ${fmtInt(w.ok2xx)} answered 2xx + ${fmtInt(w.unanswered)} in flight at the stop; rows ${fmtInt(w.rows ?? NaN)}, counters ${fmtInt(w.counters ?? NaN)} — ${w.exact ? 'exact' : 'NOT exact'}.`);
    if (r.burst) out.push(`- Bounded burst: ${fmtInt(r.burst.requests)} writes, ${fmtInt(r.burst.ok2xx)} answered 2xx, rows ${fmtInt(r.burst.rows ?? NaN)}, counters ${fmtInt(r.burst.counters ?? NaN)} — ${r.burst.exact ? 'exact' : 'NOT exact'}.`);
    for (const p of r.sequential ?? []) out.push(`- ${p.name}, one request at a time (${p.requests} requests): p50 ${fmtMs(p.p50)} ms, p95 ${fmtMs(p.p95)} ms, max ${fmtMs(p.max)} ms.`);
    if (r.forum) {
      const [head, ...rest] = forumLines(r.forum);
      out.push(`- ${head}`, ...rest.map((l) => `  - ${l}`));
    }
    if (r.search) out.push(`- Search, one request at a time, each ranked by the database (${r.search.requests} requests): p50 ${fmtMs(r.search.p50)} ms, p95 ${fmtMs(r.search.p95)} ms — ${verdict(r.search.goal.met)}: ${r.search.goal.text}; a fresh portal's first answer to each query: p50 ${fmtMs(r.search.cold.p50)} ms, max ${fmtMs(r.search.cold.max)} ms.`);
    out.push('');
  }
  return out.join('\n');
}
