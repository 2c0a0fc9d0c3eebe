-- Up Migration

CREATE TABLE categories (
  id          serial PRIMARY KEY,
  slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,64}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
  id           serial PRIMARY KEY,
  sku          text NOT NULL UNIQUE CHECK (sku ~ '^[A-Z0-9-]{3,32}$'),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description  text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  category_id  integer NOT NULL REFERENCES categories(id),
  -- Money is integer paisa (1 BDT = 100 paisa); never floats.
  price_paisa  integer NOT NULL CHECK (price_paisa >= 0),
  stock        integer NOT NULL CHECK (stock >= 0),
  image_url    text,
  featured     boolean NOT NULL DEFAULT false,
  search       tsvector GENERATED ALWAYS AS (
                 setweight(to_tsvector('english', name), 'A') ||
                 setweight(to_tsvector('english', description), 'B')) STORED,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_search_idx ON products USING gin (search);
CREATE INDEX products_category_idx ON products (category_id, id);
CREATE INDEX products_featured_idx ON products (id) WHERE featured;

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email          text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
  password_hash  text NOT NULL,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role           text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'staff', 'admin')),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_idx ON users (email);

-- Sessions live in PostgreSQL, not Redis: losing the cache must not log anyone out.
-- Only an HMAC of the session token is stored, so a database leak yields no usable session.
CREATE TABLE sessions (
  id_hash     bytea PRIMARY KEY,
  user_id     uuid REFERENCES users(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- A cart belongs to a user ('u:<uuid>') or, before login, to a guest session ('s:<hex>').
CREATE TABLE cart_items (
  owner       text NOT NULL,
  product_id  integer NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  quantity    integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (owner, product_id)
);

CREATE TABLE orders (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id            uuid NOT NULL REFERENCES users(id),
  idempotency_key    text NOT NULL,
  request_hash       text NOT NULL,
  status             text NOT NULL CHECK (status IN ('pending', 'paid', 'confirmed', 'payment_failed')),
  payment_method     text NOT NULL CHECK (payment_method IN ('bkash', 'nagad', 'card', 'cod')),
  total_paisa        bigint NOT NULL CHECK (total_paisa >= 0),
  shipping_address   jsonb NOT NULL,
  payment_reference  text,
  failure_reason     text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, idempotency_key)
);
CREATE INDEX orders_user_created_idx ON orders (user_id, created_at DESC);
CREATE INDEX orders_created_idx ON orders (created_at DESC);
CREATE INDEX orders_pending_idx ON orders (created_at) WHERE status = 'pending';

CREATE TABLE order_items (
  order_id     uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  product_id   integer NOT NULL REFERENCES products(id),
  name         text NOT NULL,
  quantity     integer NOT NULL CHECK (quantity > 0),
  price_paisa  integer NOT NULL CHECK (price_paisa >= 0),
  PRIMARY KEY (order_id, product_id)
);

-- Down Migration

DROP TABLE order_items;
DROP TABLE orders;
DROP TABLE cart_items;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE products;
DROP TABLE categories;
