/**
 * Deterministic, realistic catalogue: the same input always yields the same products, so load
 * tests, screenshots and benchmarks are comparable between runs. Prices are integer paisa.
 */
export interface SeedCategory {
  slug: string;
  name: string;
  brands: string[];
  items: { name: string; minTaka: number; maxTaka: number }[];
  variants: string[];
}

export const SEED_CATEGORIES: SeedCategory[] = [
  {
    slug: 'groceries',
    name: 'Groceries',
    brands: ['Pran', 'ACI Pure', 'Fresh', 'Teer', 'Radhuni', 'Chashi', 'Bashundhara'],
    items: [
      { name: 'Miniket Rice', minTaka: 70, maxTaka: 95 },
      { name: 'Chinigura Aromatic Rice', minTaka: 140, maxTaka: 190 },
      { name: 'Soybean Oil', minTaka: 165, maxTaka: 900 },
      { name: 'Mustard Oil', minTaka: 120, maxTaka: 650 },
      { name: 'Red Lentils (Masoor Dal)', minTaka: 110, maxTaka: 160 },
      { name: 'Turmeric Powder', minTaka: 45, maxTaka: 120 },
      { name: 'Atta Flour', minTaka: 55, maxTaka: 320 },
      { name: 'Refined Sugar', minTaka: 120, maxTaka: 140 },
      { name: 'Iodised Salt', minTaka: 35, maxTaka: 45 },
      { name: 'Chilli Powder', minTaka: 60, maxTaka: 140 },
    ],
    variants: ['500 g', '1 kg', '2 kg', '5 kg', '10 kg'],
  },
  {
    slug: 'beverages',
    name: 'Beverages',
    brands: ['Pran', 'Ispahani', 'Kazi & Kazi', 'Seylon', 'Akij', 'Shezan'],
    items: [
      { name: 'Mango Juice', minTaka: 25, maxTaka: 160 },
      { name: 'Black Tea', minTaka: 90, maxTaka: 520 },
      { name: 'Green Tea', minTaka: 150, maxTaka: 480 },
      { name: 'Mineral Water', minTaka: 20, maxTaka: 90 },
      { name: 'Lychee Drink', minTaka: 30, maxTaka: 150 },
      { name: 'Instant Coffee', minTaka: 220, maxTaka: 750 },
    ],
    variants: ['250 ml', '500 ml', '1 L', '2 L', 'Pack of 6'],
  },
  {
    slug: 'fashion-men',
    name: "Men's Fashion",
    brands: ['Aarong', 'Yellow', 'Ecstasy', 'Richman', 'Cats Eye', 'Sailor'],
    items: [
      { name: 'Cotton Panjabi', minTaka: 1200, maxTaka: 4800 },
      { name: 'Formal Shirt', minTaka: 950, maxTaka: 3200 },
      { name: 'Chino Trousers', minTaka: 1100, maxTaka: 2900 },
      { name: 'Polo Shirt', minTaka: 650, maxTaka: 1800 },
      { name: 'Checked Lungi', minTaka: 350, maxTaka: 1200 },
      { name: 'Denim Jeans', minTaka: 1300, maxTaka: 3500 },
    ],
    variants: ['S', 'M', 'L', 'XL', 'XXL'],
  },
  {
    slug: 'fashion-women',
    name: "Women's Fashion",
    brands: ['Aarong', "Anjan's", 'Kay Kraft', 'Bibiana', 'Rang Bangladesh', 'Deshal'],
    items: [
      { name: 'Jamdani Saree', minTaka: 4500, maxTaka: 25000 },
      { name: 'Cotton Salwar Kameez', minTaka: 1500, maxTaka: 5200 },
      { name: 'Silk Orna', minTaka: 600, maxTaka: 2400 },
      { name: 'Tangail Saree', minTaka: 2200, maxTaka: 9000 },
      { name: 'Printed Kurti', minTaka: 850, maxTaka: 2600 },
      { name: 'Nakshi Kantha Shawl', minTaka: 1800, maxTaka: 7500 },
    ],
    variants: ['Free size', 'S', 'M', 'L', 'XL'],
  },
  {
    slug: 'mobiles',
    name: 'Mobile Phones',
    brands: ['Walton', 'Symphony', 'Samsung', 'Xiaomi', 'Realme', 'Tecno'],
    items: [
      { name: 'Smartphone 4G', minTaka: 9500, maxTaka: 28000 },
      { name: 'Smartphone 5G', minTaka: 22000, maxTaka: 85000 },
      { name: 'Feature Phone', minTaka: 1100, maxTaka: 2900 },
      { name: 'Fast Charger 33W', minTaka: 650, maxTaka: 2200 },
      { name: 'Power Bank 20000mAh', minTaka: 1600, maxTaka: 4200 },
      { name: 'Wireless Earbuds', minTaka: 1200, maxTaka: 9500 },
    ],
    variants: ['Black', 'Blue', 'Silver', 'Green', 'Gold'],
  },
  {
    slug: 'electronics',
    name: 'Electronics',
    brands: ['Walton', 'Vision', 'Singer', 'Minister', 'Jamuna', 'Sony'],
    items: [
      { name: 'LED Television 32"', minTaka: 16500, maxTaka: 32000 },
      { name: 'Smart TV 43"', minTaka: 32000, maxTaka: 62000 },
      { name: 'Rechargeable Fan', minTaka: 2800, maxTaka: 7500 },
      { name: 'IPS Battery 1200VA', minTaka: 14000, maxTaka: 32000 },
      { name: 'LED Bulb 12W', minTaka: 180, maxTaka: 450 },
      { name: 'Bluetooth Speaker', minTaka: 1500, maxTaka: 12000 },
    ],
    variants: ['Standard', 'Pro', 'Plus', 'Eco', 'Max'],
  },
  {
    slug: 'home-appliances',
    name: 'Home Appliances',
    brands: ['Walton', 'Vision', 'Miyako', 'Singer', 'Jamuna', 'Gree'],
    items: [
      { name: 'Refrigerator 250L', minTaka: 32000, maxTaka: 68000 },
      { name: 'Rice Cooker', minTaka: 1900, maxTaka: 5500 },
      { name: 'Blender', minTaka: 2200, maxTaka: 7800 },
      { name: 'Inverter AC 1.5 Ton', minTaka: 52000, maxTaka: 98000 },
      { name: 'Electric Kettle', minTaka: 950, maxTaka: 2800 },
      { name: 'Gas Stove Double Burner', minTaka: 3200, maxTaka: 9500 },
    ],
    variants: ['White', 'Silver', 'Black', 'Red', 'Blue'],
  },
  {
    slug: 'beauty',
    name: 'Health & Beauty',
    brands: ['Meril', 'Keya', 'Tibbet', 'Lux', 'Parachute', 'Himalaya'],
    items: [
      { name: 'Petroleum Jelly', minTaka: 60, maxTaka: 220 },
      { name: 'Beauty Soap', minTaka: 45, maxTaka: 120 },
      { name: 'Coconut Hair Oil', minTaka: 90, maxTaka: 480 },
      { name: 'Herbal Face Wash', minTaka: 180, maxTaka: 650 },
      { name: 'Lip Balm', minTaka: 90, maxTaka: 350 },
      { name: 'Hand Sanitiser', minTaka: 70, maxTaka: 300 },
    ],
    variants: ['Small', 'Regular', 'Family pack', 'Value pack', 'Travel size'],
  },
  {
    slug: 'books',
    name: 'Books & Stationery',
    brands: ['Prothoma', 'Anyaprokash', 'Somoy', 'Matador', 'Deli', 'Faber-Castell'],
    items: [
      { name: 'Bangla Novel', minTaka: 250, maxTaka: 850 },
      { name: 'HSC Physics Guide', minTaka: 320, maxTaka: 650 },
      { name: 'Ball Pen Box', minTaka: 90, maxTaka: 300 },
      { name: 'Exercise Khata', minTaka: 40, maxTaka: 160 },
      { name: 'Colour Pencil Set', minTaka: 120, maxTaka: 950 },
      { name: "Children's Rhymes Book", minTaka: 150, maxTaka: 450 },
    ],
    variants: ['Paperback', 'Hardcover', 'Set of 3', 'Set of 12', 'Gift edition'],
  },
  {
    slug: 'home-living',
    name: 'Home & Living',
    brands: ['Hatil', 'Otobi', 'RFL', 'Partex', 'Akhtar', 'Navana'],
    items: [
      { name: 'Plastic Chair', minTaka: 650, maxTaka: 1800 },
      { name: 'Bed Sheet Set', minTaka: 1200, maxTaka: 4800 },
      { name: 'Wooden Dining Table', minTaka: 18000, maxTaka: 75000 },
      { name: 'Mosquito Net', minTaka: 450, maxTaka: 1600 },
      { name: 'Bath Towel', minTaka: 250, maxTaka: 900 },
      { name: 'Storage Box', minTaka: 300, maxTaka: 1500 },
    ],
    variants: ['Single', 'Double', 'King', 'Family', 'Compact'],
  },
  {
    slug: 'baby-kids',
    name: 'Baby & Kids',
    brands: ['Savlon', 'Molfix', 'Lactogen', 'Pampers', 'Nido', "Johnson's"],
    items: [
      { name: 'Baby Diapers', minTaka: 850, maxTaka: 2600 },
      { name: 'Infant Formula', minTaka: 650, maxTaka: 1900 },
      { name: 'Baby Wipes', minTaka: 180, maxTaka: 450 },
      { name: 'Kids School Bag', minTaka: 750, maxTaka: 2800 },
      { name: 'Baby Lotion', minTaka: 220, maxTaka: 680 },
      { name: 'Building Blocks Toy', minTaka: 450, maxTaka: 2200 },
    ],
    variants: ['Newborn', 'Small', 'Medium', 'Large', 'XL'],
  },
  {
    slug: 'sports',
    name: 'Sports & Outdoors',
    brands: ['Doel', 'Apex', 'Bata', 'Nitol', 'Gray-Nicolls', 'Yonex'],
    items: [
      { name: 'Cricket Bat', minTaka: 1500, maxTaka: 18000 },
      { name: 'Football', minTaka: 650, maxTaka: 3800 },
      { name: 'Badminton Racket', minTaka: 900, maxTaka: 9500 },
      { name: 'Running Shoes', minTaka: 2200, maxTaka: 8500 },
      { name: 'Yoga Mat', minTaka: 750, maxTaka: 2600 },
      { name: 'Bicycle Helmet', minTaka: 1200, maxTaka: 4200 },
    ],
    variants: ['Junior', 'Senior', 'Club', 'Pro', 'Elite'],
  },
];

/** mulberry32: a tiny seeded PRNG, so the catalogue is identical on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedProduct {
  sku: string;
  name: string;
  description: string;
  category: string;
  pricePaisa: number;
  stock: number;
  imageUrl: string;
  featured: boolean;
}

/** Every brand × item × variant combination: 12 categories, 2,000+ products. */
export function generateProducts(seed = 20261124): SeedProduct[] {
  const rand = prng(seed);
  const out: SeedProduct[] = [];
  for (const [ci, c] of SEED_CATEGORIES.entries()) {
    let n = 0;
    for (const brand of c.brands) {
      for (const item of c.items) {
        for (const variant of c.variants) {
          n += 1;
          const taka = item.minTaka + rand() * (item.maxTaka - item.minTaka);
          // Shop prices end in 0, 5 or 9 taka; stored as integer paisa.
          const rounded = Math.max(1, Math.round(taka / 5) * 5 - (rand() < 0.3 ? 1 : 0));
          out.push({
            sku: `${c.slug.slice(0, 3).toUpperCase()}-${String(ci + 1).padStart(2, '0')}${String(n).padStart(4, '0')}`,
            name: `${brand} ${item.name} (${variant})`,
            description: `${brand} ${item.name.toLowerCase()}, ${variant.toLowerCase()}. Genuine product with delivery across Bangladesh; cash on delivery available.`,
            category: c.slug,
            pricePaisa: rounded * 100,
            stock: rand() < 0.05 ? 0 : Math.floor(rand() * 200) + 5,
            imageUrl: `/img/categories/${c.slug}.svg`,
            featured: n % 37 === 1,
          });
        }
      }
    }
  }
  return out;
}
