-- Up Migration
-- Expand only (ADR 0002): every column is nullable or filled by a trigger, so the previous api
-- version keeps working on this schema and a rollback never needs the down migration.

-- A pending order names the live request that owns it until the lease expires. A retry of the
-- same Idempotency-Key that finds the order pending and its lease expired resumes it (the
-- payment charge is idempotent per order id), instead of waiting for housekeeping.
ALTER TABLE orders ADD COLUMN lease_owner text;
ALTER TABLE orders ADD COLUMN lease_expires_at timestamptz;

-- Every unit a product ever received (the seed's stock plus restocks): the invariants checker's
-- conservation law is stock_received = stock (on hand) + reserved (pending) + sold.
ALTER TABLE products ADD COLUMN stock_received integer;
UPDATE products p SET stock_received = p.stock + coalesce((
  SELECT sum(oi.quantity) FROM order_items oi JOIN orders o ON o.id = oi.order_id
   WHERE oi.product_id = p.id AND o.status <> 'payment_failed'), 0);
CREATE FUNCTION products_stock_received_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.stock_received IS NULL THEN NEW.stock_received := NEW.stock; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER products_stock_received_default BEFORE INSERT ON products
  FOR EACH ROW EXECUTE FUNCTION products_stock_received_default();

-- The simulated payment provider's own ledger (the lab's stand-in for bKash, Nagad and the card
-- gateways, which deduplicate on the merchant's order id): one charge per order, however many
-- times it is asked. `calls` counts the requests, so a test can tell a replay from a charge.
CREATE TABLE simulated_payment_charges (
  order_id      uuid PRIMARY KEY,
  method        text NOT NULL,
  amount_paisa  bigint NOT NULL,
  ok            boolean NOT NULL,
  reference     text,
  reason        text,
  calls         integer NOT NULL DEFAULT 1,
  charged_at    timestamptz NOT NULL DEFAULT now()
);

-- Down Migration

DROP TABLE simulated_payment_charges;
DROP TRIGGER products_stock_received_default ON products;
DROP FUNCTION products_stock_received_default();
ALTER TABLE products DROP COLUMN stock_received;
ALTER TABLE orders DROP COLUMN lease_expires_at;
ALTER TABLE orders DROP COLUMN lease_owner;
