// A release DRILL's defect, baked only into a derived drill image (tools/release, never the
// production image): loaded with NODE_OPTIONS=--require, it wraps the api's order routes so that
// DRILL_CHECKOUT_5XX_PERCENT of checkouts (POST /api/orders) answer 500. The failure happens
// inside the app, after its metrics middleware, so the new version's own series show it; every
// health check still passes. Only the error-budget gate can catch this release.
'use strict';
const Module = require('node:module');

const percent = Number(process.env.DRILL_CHECKOUT_5XX_PERCENT || 0);
const originalLoad = Module._load;

Module._load = function load(request, parent, _isMain) {
  const exported = originalLoad.apply(this, arguments);
  const fromApp = parent && /[\\/]http[\\/]app\.js$/.test(parent.filename || '');
  if (!fromApp || !/routes[\\/]orders(\.js)?$/.test(request) || !exported.orderRoutes)
    return exported;
  const express = originalLoad('express', parent, false);
  const orderRoutes = exported.orderRoutes;
  return {
    ...exported,
    orderRoutes(...args) {
      const inner = orderRoutes(...args);
      const outer = express.Router();
      outer.post('/', (_req, res, next) => {
        if (Math.random() * 100 >= percent) return next();
        res.status(500).json({
          error: { code: 'drill_injected_fault', message: 'a defect injected by a release drill' },
        });
      });
      outer.use(inner);
      return outer;
    },
  };
};
