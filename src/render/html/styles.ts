// The report's stylesheet, inlined into the page: system fonts only, no external resources.
export const STYLES = `
:root {
  color-scheme: light;
  --ink: #101828; --ink-2: #344054; --muted: #667085; --line: #e4e7ec; --bg: #f5f6f8; --card: #fff;
  --accent: #0b5cad;
  --fail: #b42318; --fail-bg: #fef3f2; --fail-line: #fda29b;
  --warn: #93370d; --warn-bg: #fffaeb; --warn-line: #fec84b;
  --pass: #067647; --pass-bg: #ecfdf3; --pass-line: #75e0a7;
  --skip: #475467; --skip-bg: #f2f4f7; --skip-line: #d0d5dd;
  --error: #5925dc; --error-bg: #f4f3ff; --error-line: #bdb4fe;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
a { color: var(--accent); text-underline-offset: 2px; }
code, .mono { font-family: var(--mono); font-size: 0.86em; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
.page { max-width: 1200px; margin: 0 auto; padding: 20px 28px 56px; }

/* Masthead */
.masthead { display: flex; flex-wrap: wrap; align-items: baseline; gap: 6px 18px; padding: 4px 0 16px; color: var(--muted); font-size: 13.5px; }
.wordmark { font-weight: 750; font-size: 17px; color: var(--ink); letter-spacing: -0.01em; }
.wordmark span { color: var(--accent); }
.masthead .meta { display: flex; flex-wrap: wrap; gap: 4px 16px; }
.masthead .meta b { color: var(--ink-2); font-weight: 600; }

/* Status badges: colour plus a glyph plus a word, never colour alone */
.badge {
  display: inline-flex; align-items: center; gap: 5px; padding: 1px 8px; border-radius: 999px;
  font-size: 12px; font-weight: 700; letter-spacing: 0.04em; border: 1px solid; white-space: nowrap;
  line-height: 1.6;
}
.badge .glyph { font-size: 11px; }
.s-fail { color: var(--fail); background: var(--fail-bg); border-color: var(--fail-line); }
.s-warn { color: var(--warn); background: var(--warn-bg); border-color: var(--warn-line); }
.s-pass { color: var(--pass); background: var(--pass-bg); border-color: var(--pass-line); }
.s-skip { color: var(--skip); background: var(--skip-bg); border-color: var(--skip-line); }
.s-error { color: var(--error); background: var(--error-bg); border-color: var(--error-line); }
.s-inconclusive { color: var(--error); background: var(--error-bg); border-color: var(--error-line); }

/* Verdict */
.hero {
  background: var(--card); border: 1px solid var(--line); border-top: 6px solid var(--skip-line);
  border-radius: 12px; padding: 22px 26px 22px; display: grid; gap: 18px;
  box-shadow: 0 1px 2px rgba(16,24,40,.05);
}
.hero.v-fail { border-top-color: var(--fail); }
.hero.v-warn { border-top-color: #dc6803; }
.hero.v-pass { border-top-color: var(--pass); }
.hero.v-inconclusive { border-top-color: var(--error); }
.verdict-line { display: flex; align-items: center; gap: 12px 16px; }
.verdict-line h1 { min-width: 0; }
.verdict-badge { font-size: 18px; padding: 4px 14px; border-width: 2px; }
.verdict-badge .glyph { font-size: 16px; }
.hero h1 { font-size: 25px; letter-spacing: -0.015em; font-weight: 750; }
.tally { display: flex; flex-wrap: wrap; gap: 6px; margin: 0; padding: 0; list-style: none; }
.tally li { font-size: 13px; }
.diagnosis { display: grid; grid-template-columns: minmax(0, 1.6fr) minmax(0, 1fr); gap: 22px; }
.cause { border-left: 4px solid var(--skip-line); padding: 2px 0 2px 16px; }
.v-fail .cause { border-left-color: var(--fail); }
.v-warn .cause { border-left-color: #dc6803; }
.v-pass .cause { border-left-color: var(--pass); }
.v-inconclusive .cause { border-left-color: var(--error); }
.eyebrow { text-transform: uppercase; letter-spacing: 0.08em; font-size: 11.5px; font-weight: 700; color: var(--muted); margin: 0 0 4px; }
.cause .title { font-size: 18px; font-weight: 700; margin: 0 0 6px; }
.cause .title a { color: var(--ink); text-decoration: none; }
.cause .title a:hover { text-decoration: underline; }
.cause p { margin: 0 0 10px; color: var(--ink-2); }
.todo { background: #f0f7ff; border: 1px solid #c7ddf7; border-radius: 8px; padding: 10px 14px; margin-top: 10px; }
.todo p { margin: 0; color: var(--ink); }
.also ol { margin: 0; padding: 0; list-style: none; display: grid; gap: 7px; }
.also li { display: flex; gap: 8px; align-items: baseline; font-size: 14px; }
.also li a { color: var(--ink); }
.also .more { color: var(--muted); font-size: 13px; }
.diagnosis.single { grid-template-columns: minmax(0, 1fr); }
.vitals ul { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(165px, 1fr)); gap: 8px; }
.vitals li > a, .vitals li > div {
  display: flex; flex-direction: column; gap: 1px; height: 100%; padding: 9px 12px; border-radius: 8px;
  background: #f8f9fb; border: 1px solid var(--line); color: var(--ink); text-decoration: none;
}
.vitals li > a:hover { border-color: var(--accent); }
.v-label { font-size: 12px; color: var(--muted); font-weight: 600; }
.v-value { font-size: 17px; font-weight: 700; font-variant-numeric: tabular-nums; letter-spacing: -0.01em; }
.v-sub { font-size: 12px; color: var(--muted); }
.notice { background: var(--warn-bg); border: 1px solid var(--warn-line); border-radius: 8px; padding: 8px 14px; font-size: 13.5px; }
.notice ul { margin: 4px 0 0; padding-left: 18px; }

/* Table of contents */
.toc { display: flex; flex-wrap: wrap; gap: 8px; margin: 18px 0 6px; padding: 0; list-style: none; }
.toc a {
  display: inline-flex; gap: 8px; align-items: center; padding: 5px 12px; border-radius: 8px; background: var(--card);
  border: 1px solid var(--line); text-decoration: none; color: var(--ink-2); font-size: 13.5px; font-weight: 600;
}
.toc a:hover { border-color: var(--accent); }
.toc .n { font-weight: 700; font-size: 12px; }
.toc .n.fail { color: var(--fail); } .toc .n.warn { color: var(--warn); } .toc .n.ok { color: var(--pass); }

/* Sections and checks */
.block { margin-top: 30px; }
.block > h2 { font-size: 20px; font-weight: 720; margin: 0 0 12px; display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.block > h2 .sub { font-size: 13px; font-weight: 500; color: var(--muted); }
.checks { display: grid; gap: 8px; }
details.check {
  background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--skip-line); border-radius: 10px;
}
details.check.s-fail { border-left-color: var(--fail); }
details.check.s-warn { border-left-color: #dc6803; }
details.check.s-pass { border-left-color: var(--pass-line); }
details.check.s-error { border-left-color: var(--error); }
details.check { color: var(--ink); background: var(--card); }
details.check > summary {
  list-style: none; cursor: pointer; display: grid; grid-template-columns: 74px minmax(0, 1fr) auto; gap: 4px 14px;
  padding: 11px 16px; align-items: start;
}
details.check > summary::-webkit-details-marker { display: none; }
details.check > summary .badge { justify-content: center; margin-top: 1px; }
.check-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 10px; }
.check-title { font-weight: 650; font-size: 15.5px; }
.check-id { color: var(--muted); font-size: 12.5px; }
.check-summary { color: var(--ink-2); font-size: 14px; margin-top: 2px; }
.s-skip .check-summary, .s-skip .check-title { color: var(--muted); }
.chevron { color: var(--muted); font-size: 13px; transition: transform .15s; margin-top: 3px; }
details[open] > summary .chevron { transform: rotate(90deg); }
.check-body { padding: 2px 16px 16px 104px; display: grid; gap: 12px; }
.check-body p { margin: 0; }
.label { font-weight: 700; color: var(--ink); }
.remedy { background: #f0f7ff; border: 1px solid #c7ddf7; border-radius: 8px; padding: 9px 13px; }
.s-warn .remedy { background: var(--warn-bg); border-color: var(--warn-line); }
.s-fail .remedy { background: var(--fail-bg); border-color: var(--fail-line); }
.numbers { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 12px; }
.kv { margin: 0; font-size: 13.5px; border: 1px solid var(--line); border-radius: 8px; border-collapse: separate; border-spacing: 0; }
.kv-caption { font-weight: 700; font-size: 11.5px; text-transform: uppercase; letter-spacing: .07em; color: var(--muted); margin: 0 0 4px; }
.fact-card .kv-block + .kv-block { margin-top: 12px; }
.grid-table th.idx { width: 3em; }
table { border-collapse: collapse; width: 100%; }
.kv th, .kv td { padding: 4px 10px; text-align: left; border-top: 1px solid var(--line); vertical-align: top; }
.kv tr:first-child th, .kv tr:first-child td { border-top: 0; }
.kv th { font-weight: 500; color: var(--muted); width: 55%; }
.kv td { font-family: var(--mono); font-size: 12.5px; overflow-wrap: anywhere; }
.details { color: var(--ink-2); font-size: 14px; white-space: pre-wrap; }
.plot-link { font-size: 14px; font-weight: 600; }
.plot-link.none { color: var(--muted); font-weight: 400; }

/* Plots */
.plots { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); grid-auto-flow: row dense; gap: 14px; }
.plot-card {
  margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 16px 18px 14px;
  display: flex; flex-direction: column; gap: 10px; min-width: 0;
}
.plot-card.wide { grid-column: 1 / -1; }
.plot-card h3 { font-size: 16.5px; font-weight: 700; margin-bottom: 4px; }
.plot-card figcaption p { margin: 0; color: var(--ink-2); font-size: 13.5px; }
.panels { display: grid; grid-template-columns: minmax(0, 1fr); gap: 14px; align-items: start; }
.plot-card.wide .panels { grid-template-columns: repeat(2, minmax(0, 1fr)); }
.panels svg { max-width: 100%; height: auto; }
.panels figure { margin: 0; }
.plot-notes { margin: 0; padding-left: 18px; font-size: 13px; color: var(--ink-2); }
.used-by { margin: 0; font-size: 13px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: center; }
.used-by a { color: var(--ink-2); }
.not-drawn { font-size: 13.5px; color: var(--muted); margin: 12px 0 0; }
.not-drawn ul { margin: 4px 0 0; padding-left: 18px; }

/* Subject and run */
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 14px; }
.fact-card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 14px 18px; min-width: 0; }
.fact-card h3 { font-size: 15px; margin-bottom: 8px; }
.fact-card.wide { grid-column: 1 / -1; }
.grid-table th, .grid-table td { padding: 4px 10px 4px 0; text-align: left; border-top: 1px solid var(--line); font-size: 13.5px; vertical-align: top; }
.grid-table thead th { border-top: 0; color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.grid-table td.num, .grid-table th.num { text-align: right; font-variant-numeric: tabular-nums; }
.grid-table td { overflow-wrap: anywhere; }
.bar { display: inline-block; height: 8px; border-radius: 4px; background: #9ec5ef; vertical-align: middle; }
footer { margin-top: 36px; color: var(--muted); font-size: 12.5px; border-top: 1px solid var(--line); padding-top: 12px; }

@media (max-width: 900px) {
  .page { padding: 14px 14px 40px; }
  .diagnosis { grid-template-columns: 1fr; }
  .plots, .plot-card.wide .panels { grid-template-columns: minmax(0, 1fr); }
  .check-body { padding-left: 16px; }
  details.check > summary { grid-template-columns: 66px minmax(0, 1fr) auto; }
}

@media print {
  @page { margin: 14mm 12mm; }
  :root { --bg: #fff; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10.5pt; background: #fff; }
  .page { max-width: none; padding: 0; }
  .toc, .chevron { display: none; }
  a { color: inherit; text-decoration: none; }
  .hero, details.check, .plot-card, .fact-card, .kv, tr { break-inside: avoid; }
  .block > h2, .plot-card h3 { break-after: avoid; }
  .hero, details.check, .plot-card, .fact-card { box-shadow: none; }
  .plots, .plot-card.wide .panels { grid-template-columns: minmax(0, 1fr); }
  .panels svg { max-width: 16cm; }
  .diagnosis { grid-template-columns: 1fr; }
  .check-body { padding-left: 16px; }
}
`;
