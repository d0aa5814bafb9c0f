// The live page's script, served as /live.js (a string here so that the compiled package carries
// it). Plain ES2017, no dependencies: it listens to /events and redraws the status, the findings
// (text only, via textContent) and the plots (the server's SVG) from each snapshot.
export const LIVE_SCRIPT = `'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var LABEL = { fail: 'Fail', warn: 'Warning' };
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function badge(status, text) {
    var b = el('span', 'badge s-' + status, text);
    return b;
  }
  function renderStatus(s) {
    var phase = $('phase');
    var worst = s.findings.some(function (f) { return f.status === 'fail'; }) ? 'fail'
      : s.findings.length ? 'warn' : (s.step === null ? 'skip' : 'pass');
    phase.className = 'badge verdict-badge s-' + worst;
    phase.textContent = s.phase === 'finished' ? 'Finished' : 'Watching';
    $('status').className = 'hero live-status v-' + (worst === 'skip' ? 'inconclusive' : worst);
    $('headline').textContent = s.headline;
    var at = s.step === null ? 'no step yet' : 'step ' + s.step;
    $('meta').textContent = at + ' · updated ' + new Date(s.updated).toLocaleTimeString() + ' · ' + s.findings.length + ' finding' + (s.findings.length === 1 ? '' : 's');
  }
  function renderFindings(s) {
    var list = $('findings');
    list.textContent = '';
    if (!s.findings.length) { list.appendChild(el('li', 'none', 'None so far.')); return; }
    s.findings.slice().reverse().forEach(function (f) {
      var li = el('li', 'finding s-' + f.status);
      li.setAttribute('data-check-id', f.id);
      li.setAttribute('data-step', String(f.step));
      var head = el('div', 'finding-head');
      head.appendChild(badge(f.status, LABEL[f.status] || f.status));
      head.appendChild(el('span', 'finding-step', 'step ' + f.step));
      head.appendChild(el('code', 'check-id', f.id));
      head.appendChild(el('span', 'check-title', f.title));
      li.appendChild(head);
      li.appendChild(el('p', 'check-summary', f.summary));
      if (f.remedy) li.appendChild(el('p', 'remedy', f.remedy));
      var rule = 'First seen at step ' + f.firstSeenStep + '; conclusive because ' + f.conclusiveBecause + '.';
      li.appendChild(el('p', 'finding-rule', rule));
      var drawn = function (id) { return s.plots.some(function (p) { return p.id === id; }); };
      // A loss check whose own plot is not drawn live (the LR sweep) shows its evidence on the loss curve.
      var plot = f.plot && drawn(f.plot) ? f.plot : f.id.indexOf('loss/') === 0 && drawn('loss-curve') ? 'loss-curve' : null;
      if (plot) {
        var a = el('a', 'plot-link', 'See the evidence: ' + plot + ' ↓');
        a.href = '#' + plot;
        li.appendChild(a);
      }
      list.appendChild(li);
    });
  }
  function renderPlots(s) {
    var box = $('plots');
    s.plots.forEach(function (p) {
      var fig = document.getElementById(p.id);
      if (!fig) {
        fig = el('figure', 'plot-card');
        fig.id = p.id;
        fig.setAttribute('data-plot', p.id);
        var cap = el('figcaption');
        cap.appendChild(el('h3', '', p.title));
        cap.appendChild(el('p', '', p.caption));
        fig.appendChild(cap);
        fig.appendChild(el('div', 'panels'));
        fig.appendChild(el('ul', 'plot-notes'));
        box.appendChild(fig);
      }
      fig.setAttribute('data-points', String(p.points));
      fig.querySelector('.panels').innerHTML = p.svg;
      var notes = fig.querySelector('.plot-notes');
      notes.textContent = '';
      (p.notes || []).forEach(function (n) { notes.appendChild(el('li', '', n)); });
    });
  }
  function connect() {
    var source = new EventSource('/events');
    source.addEventListener('state', function (e) {
      var s = JSON.parse(e.data);
      renderStatus(s);
      renderFindings(s);
      renderPlots(s);
      $('conn').textContent = '';
      $('conn').className = 'live-conn';
      if (s.phase === 'finished') source.close();
    });
    source.onerror = function () {
      $('conn').textContent = '· connection lost, retrying…';
      $('conn').className = 'live-conn down';
    };
  }
  connect();
})();
`;
