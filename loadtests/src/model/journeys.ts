/**
 * The journeys, written once: each is pages a visitor reads, each page the API calls the
 * storefront makes for it. Artillery (the lab), Vegeta (the lab's anonymous browsing) and k6
 * (the cluster) are rendered from these.
 */
export type JourneyName = 'browse' | 'shopper' | 'flash-sale';

/** An API call of a page. Placeholders: {product}, {category}, {term}, {page}, {flashProduct}. */
export interface Call {
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  /** The SLO journey the call counts for (thresholds come from slo/specs by journey). */
  sli: 'browse' | 'cart' | 'checkout' | 'account';
  body?: 'cartItem' | 'register' | 'checkout';
}

export interface Page {
  name: string;
  calls: Call[];
  /** Relative weight among a browse visit's pages. */
  weight?: number;
}

export const PAGES = {
  home: {
    name: 'home',
    weight: 10,
    calls: [
      { method: 'GET', path: '/api/categories', sli: 'browse' },
      { method: 'GET', path: '/api/products?featured=true&pageSize=12', sli: 'browse' },
    ],
  },
  listing: {
    name: 'category listing',
    weight: 30,
    calls: [
      {
        method: 'GET',
        path: '/api/products?category={category}&page={page}&pageSize=12',
        sli: 'browse',
      },
    ],
  },
  product: {
    name: 'product page',
    weight: 40,
    calls: [{ method: 'GET', path: '/api/products/{product}', sli: 'browse' }],
  },
  search: {
    name: 'search',
    weight: 15,
    calls: [{ method: 'GET', path: '/api/products?q={term}&pageSize=12', sli: 'browse' }],
  },
  cartView: {
    name: 'cart view',
    weight: 5,
    calls: [{ method: 'GET', path: '/api/cart', sli: 'cart' }],
  },
  addToCart: {
    name: 'add to cart',
    calls: [{ method: 'PUT', path: '/api/cart/items/{product}', sli: 'cart', body: 'cartItem' }],
  },
  addFlashItem: {
    name: 'add the flash-sale item',
    calls: [
      { method: 'PUT', path: '/api/cart/items/{flashProduct}', sli: 'cart', body: 'cartItem' },
    ],
  },
  register: {
    name: 'register',
    calls: [{ method: 'POST', path: '/api/auth/register', sli: 'account', body: 'register' }],
  },
  checkout: {
    name: 'checkout',
    // Placed with an Idempotency-Key and retried with the same key, as the storefront does.
    calls: [{ method: 'POST', path: '/api/orders', sli: 'checkout', body: 'checkout' }],
  },
} as const satisfies Record<string, Page>;

/** The pages an anonymous browsing visit is made of, by weight. */
export const BROWSE_PAGES: Page[] = [
  PAGES.home,
  PAGES.listing,
  PAGES.product,
  PAGES.search,
  PAGES.cartView,
];

export interface Journey {
  name: JourneyName;
  description: string;
  /** The pages in order (a browse visit draws its pages from BROWSE_PAGES instead). */
  pages: Page[];
  /**
   * The visitor is a customer who is already logged in (the run registers a pool first), as
   * buyers waiting for a sale are: registration's password hashing is not what a sale tests.
   */
  loggedIn?: boolean;
}

export const JOURNEYS: Record<JourneyName, Journey> = {
  browse: {
    name: 'browse',
    description: 'an anonymous visitor reading listings, searches and product pages',
    pages: BROWSE_PAGES,
  },
  shopper: {
    name: 'shopper',
    description:
      'browses, adds 1-3 items to the cart, registers and checks out with an Idempotency-Key',
    pages: [
      PAGES.home,
      PAGES.listing,
      PAGES.product,
      PAGES.addToCart,
      PAGES.product,
      PAGES.register,
      PAGES.cartView,
      PAGES.checkout,
    ],
  },
  'flash-sale': {
    name: 'flash-sale',
    description: 'one of many logged-in buyers for a few SKUs with little stock, all at once',
    pages: [PAGES.addFlashItem, PAGES.checkout],
    loggedIn: true,
  },
};

/** Mean API calls per page of an anonymous visit (weighted). */
export function callsPerBrowsePage(pages: Page[] = BROWSE_PAGES): number {
  const total = pages.reduce((a, p) => a + (p.weight ?? 0), 0);
  return pages.reduce((a, p) => a + ((p.weight ?? 0) / total) * p.calls.length, 0);
}

/** The 20 search terms the browse mix spreads over. */
export const SEARCH_TERMS = [
  'rice',
  'tea',
  'oil',
  'soap',
  'saree',
  'lungi',
  'phone',
  'charger',
  'fan',
  'lamp',
  'shirt',
  'shoes',
  'bag',
  'book',
  'pen',
  'spice',
  'dal',
  'sugar',
  'milk',
  'honey',
] as const;
