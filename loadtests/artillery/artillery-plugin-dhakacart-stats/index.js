// An Artillery plugin (v2 API) that hands each period's metrics to the DhakaCart load runner as
// one JSON line in the file named by `file`: the runner merges them with Vegeta's results,
// pushes them to the lab's Pushgateway and draws the report. Loaded through
// ARTILLERY_PLUGIN_PATH; workers load it too but only the main process receives `stats`.
'use strict';
const fs = require('node:fs');

function Plugin(script, events) {
  const cfg = (script.config.plugins || {})['dhakacart-stats'] || {};
  const file = cfg.file;
  if (!file) return;
  const write = (kind, stats) => {
    const line = {
      kind,
      period: Number(stats.period) || Date.now(),
      counters: stats.counters || {},
      rates: stats.rates || {},
      summaries: stats.summaries || {},
    };
    fs.appendFileSync(file, JSON.stringify(line) + '\n');
  };
  events.on('stats', (stats) => write('period', stats));
  this.cleanup = (done) => done();
}

// The new metrics format (counters, rates and histogram summaries by name), not the legacy one.
module.exports = { Plugin, LEGACY_METRICS_FORMAT: false };
