// The live page's HTML shell: the report's styles, a status block at the top, the findings (each
// linking to the plot of its evidence), the plots. The script (/live.js, same origin) fills it from
// the event stream; nothing else loads, and the Content-Security-Policy forbids anything else.
import { esc } from '../../render/html/escape.ts';
import { STYLES } from '../../render/html/styles.ts';

/** Same-origin script and event stream only; inline styles (the report's, and Plot's SVG attributes). */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
/** The header adds what a <meta> policy cannot carry: no framing by other sites. */
export const HEADER_CSP = `${PAGE_CSP}; frame-ancestors 'none'`;

const LIVE_STYLES = `
.live-status { position: sticky; top: 0; z-index: 2; }
.live-meta { color: var(--muted); font-size: 13.5px; margin: 6px 0 0; }
.live-conn { margin-left: 8px; }
.live-conn.down { color: var(--fail); }
ol.findings { list-style: none; padding: 0; margin: 0; display: grid; gap: 10px; }
ol.findings li { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; }
ol.findings li.none { color: var(--muted); }
.finding-head { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: baseline; }
.finding-step { font-weight: 650; }
.finding-rule { color: var(--muted); font-size: 13px; margin: 4px 0 0; }
.plot-card:target, .plot-card.flash { outline: 3px solid var(--accent); outline-offset: 2px; }
`;

export function livePage(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<title>${esc(title)} · nn-doctor live</title>
<style>${STYLES}${LIVE_STYLES}</style>
<script src="/live.js" defer></script>
</head>
<body>
<div class="page">
<header class="masthead"><span class="wordmark">nn<span>-</span>doctor</span><span>Live</span><span class="meta"><b>${esc(title)}</b></span></header>
<main>
<section class="hero live-status v-inconclusive" id="status" aria-live="polite">
<div class="verdict-line"><span class="badge s-skip verdict-badge" id="phase">Connecting</span><h1 id="headline">Waiting for the first values…</h1></div>
<p class="live-meta"><span id="meta">no data yet</span><span class="live-conn" id="conn"></span></p>
</section>
<section class="block" id="findings-block" aria-labelledby="h-findings">
<h2 id="h-findings">Findings<span class="sub">raised once each, when the evidence became conclusive</span></h2>
<ol class="findings" id="findings"><li class="none">None so far.</li></ol>
</section>
<section class="block" id="plots-block" aria-labelledby="h-plots">
<h2 id="h-plots">Plots<span class="sub">the evidence so far; they grow as the run goes on</span></h2>
<div class="plots" id="plots"></div>
</section>
</main>
</div>
</body>
</html>
`;
}
