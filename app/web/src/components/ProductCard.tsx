import { Link } from 'react-router';
import type { Product } from '../api/types';
import { Price } from './Price';
import { ProductImage } from './ProductImage';
import { StockBadge } from './StockBadge';

export function ProductCard({ product, eager = false }: { product: Product; eager?: boolean }) {
  return (
    <li className="product-card">
      <Link to={`/p/${encodeURIComponent(product.id)}`} className="product-card-link">
        <ProductImage url={product.imageUrl} alt="" eager={eager} />
        <span className="product-name">{product.name}</span>
      </Link>
      <Price paisa={product.pricePaisa} />
      <StockBadge stock={product.stock} />
    </li>
  );
}

export function ProductGrid({
  products,
  eagerCount = 0,
}: {
  products: Product[];
  eagerCount?: number;
}) {
  if (products.length === 0) return <p>No products found.</p>;
  return (
    <ul className="product-grid">
      {products.map((p, i) => (
        <ProductCard key={p.id} product={p} eager={i < eagerCount} />
      ))}
    </ul>
  );
}
