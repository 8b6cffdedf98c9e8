-- Each customer's basket. A line keeps a copy of what the shopper saw of the product (name, image,
-- price, its sizes), taken from catalog when the line was put and refreshed by catalog's product events,
-- so showing a basket never waits on catalog.

-- One row per customer who ever had a basket: when it last changed, and the row whose lock makes one
-- customer's changes take turns (the line limit is counted under it).
CREATE TABLE baskets (
  customer_id uuid PRIMARY KEY,
  updated_at timestamptz NOT NULL
);

CREATE TABLE basket_lines (
  customer_id uuid NOT NULL REFERENCES baskets (customer_id) ON DELETE CASCADE,
  product_id uuid NOT NULL,
  sku text NOT NULL,
  name text NOT NULL,
  image_url text NOT NULL,
  -- The size chosen; NULL for a product that comes in one size.
  size text,
  quantity integer NOT NULL CHECK (quantity > 0),
  -- Money: integer minor units (satang); the currency is THB throughout.
  unit_price_amount bigint NOT NULL CHECK (unit_price_amount >= 0),
  -- False once the product was deleted, or no longer comes in the chosen size: shown, not orderable.
  available boolean NOT NULL DEFAULT true,
  -- The product's own updatedAt in catalog for the copy above: an older copy never overwrites a newer one,
  -- whether it comes from a request that read catalog or from an event.
  product_updated_at timestamptz NOT NULL,
  added_at timestamptz NOT NULL,
  PRIMARY KEY (customer_id, product_id)
);

-- Catalog's events name a product: every basket holding it is found through this.
CREATE INDEX basket_lines_product_idx ON basket_lines (product_id);
