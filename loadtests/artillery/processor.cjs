// Artillery processor for the DhakaCart journeys (rendered by loadtests/src/render/artillery.ts).
// Reads the run's data (products, categories, search terms, flash-sale SKUs, the think-time
// model and the history file) from DHAKACART_LOAD_DATA. The checkout is placed as the
// storefront does: one Idempotency-Key, retried after a time-out, a 409 or a 5xx until it is
// answered or the budget is spent; every answered order goes to the clients' history.
'use strict';
const fs = require('node:fs');
const https = require('node:https');
const crypto = require('node:crypto');

const data = JSON.parse(fs.readFileSync(process.env.DHAKACART_LOAD_DATA, 'utf8'));
const agent = new https.Agent({
  keepAlive: true,
  maxSockets: 64,
  ca: fs.readFileSync(data.caFile),
});
const RETRYABLE = new Set([0, 409, 425, 429, 500, 502, 503, 504]);
/** Asked again with the same key: no answer, a 5xx, or "still being processed" (a 409 that is
 * not a sold-out item). */
const retryable = (r) =>
  RETRYABLE.has(r.status) &&
  !(r.status === 409 && !(r.json && r.json.error && r.json.error.code === 'checkout_in_progress'));
const pick = (list) => list[Math.floor(Math.random() * list.length)];

function thinkSeconds() {
  const u = 1 - Math.random();
  const v = Math.random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.min(60, data.think.medianSeconds * Math.exp(data.think.sigma * z)) * data.think.scale;
}

/** A new visitor: an e-mail of its own (test accounts only) and the page parameters. */
function newVisitor(context, _events, next) {
  const id = crypto.randomUUID();
  context.vars.email = `load-${id.slice(0, 12)}@example.com`;
  context.vars.password = `pw-${crypto.randomUUID()}`;
  context.vars.name = 'Load Visitor';
  choosePage(context, _events, () => next());
}

/** Draws the next page's parameters: a product, a category page, a search term. */
function choosePage(context, _events, next) {
  context.vars.product = pick(data.products);
  context.vars.category = pick(data.categories);
  context.vars.page = 1 + Math.floor(Math.random() * 5);
  context.vars.term = pick(data.terms);
  context.vars.flashProduct = data.flashProducts.length
    ? pick(data.flashProducts)
    : context.vars.product;
  next();
}

let nextBuyer = 0;
/** A logged-in buyer from the run's pool (registered before the sale, round robin). */
function useBuyer(context, _events, next) {
  const buyer = data.buyers[nextBuyer++ % data.buyers.length];
  context.vars.sessionCookie = buyer.cookie;
  context.vars.email = buyer.email;
  choosePage(context, _events, () => next());
}

function think(_context, _events, next) {
  setTimeout(next, Math.round(thinkSeconds() * 1000));
}

function cookieOf(context) {
  const raw = context.vars.sessionCookie;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map((c) => String(c).split(';')[0]).join('; ');
}

function post(path, body, headers) {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const started = Date.now();
    const req = https.request(
      new URL(path, data.baseUrl),
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          origin: data.baseUrl,
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let json = null;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode || 0, json, ms: Date.now() - started });
        });
        res.on('error', () =>
          resolve({ status: 0, json: null, ms: Date.now() - started, error: 'reset' }),
        );
      },
    );
    req.setTimeout(data.timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (e) =>
      resolve({ status: 0, json: null, ms: Date.now() - started, error: e.message }),
    );
    req.end(payload);
  });
}

/**
 * The checkout, with the storefront's retries; records the outcome in the clients' history.
 * Artillery calls an async function without `next` and waits for its promise.
 */
async function checkout(context, events) {
  const key = crypto.randomUUID();
  const deadline = Date.now() + data.budgetMs;
  const body = {
    shippingAddress: {
      name: 'Load Shopper',
      phone: '01712345678',
      line1: 'House 1, Road 2',
      city: 'Dhaka',
      postalCode: '1205',
    },
    paymentMethod: pick(['cod', 'cod', 'bkash', 'nagad', 'card']),
  };
  let last;
  for (;;) {
    last = await post('/api/orders', body, { cookie: cookieOf(context), 'idempotency-key': key });
    events.emit('histogram', 'dhakacart.checkout.response_time', last.ms);
    events.emit('counter', `dhakacart.checkout.codes.${last.status || 'error'}`, 1);
    if (!retryable(last) || Date.now() >= deadline) break;
    events.emit('counter', 'dhakacart.checkout.retries', 1);
    await new Promise((r) => setTimeout(r, 250));
  }
  const line =
    last.status === 201 && last.json && last.json.order
      ? {
          orderId: last.json.order.id,
          key,
          customer: context.vars.email,
          at: new Date().toISOString(),
        }
      : retryable(last)
        ? {
            key,
            customer: context.vars.email,
            unresolved: true,
            lastFailure: String(last.status || last.error),
            at: new Date().toISOString(),
          }
        : null;
  if (line) fs.appendFileSync(data.historyFile, JSON.stringify(line) + '\n');
  if (line && line.orderId) events.emit('counter', 'dhakacart.checkout.placed', 1);
  if (line && line.unresolved) events.emit('counter', 'dhakacart.checkout.unresolved', 1);
}

module.exports = { newVisitor, useBuyer, choosePage, think, checkout };
