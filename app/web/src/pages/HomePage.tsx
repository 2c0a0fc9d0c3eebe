import { Link } from 'react-router';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { ProductGrid } from '../components/ProductCard';
import { useApi } from '../state/AppContext';
import { useQuery } from '../state/useQuery';
import { useTitle } from './useTitle';

export const FEATURED_COUNT = 8;

export default function HomePage() {
  const api = useApi();
  useTitle('DhakaCart: shop online in Bangladesh');
  const categories = useQuery((signal) => api.categories({ signal }), [api]);
  const featured = useQuery(
    (signal) => api.products({ featured: true, page: 1, pageSize: FEATURED_COUNT }, { signal }),
    [api],
  );

  return (
    <>
      <h1>Welcome to DhakaCart</h1>
      <section aria-labelledby="categories-heading">
        <h2 id="categories-heading">Categories</h2>
        {categories.state.status === 'loading' && <Loading label="Loading categories…" />}
        {categories.state.status === 'error' && (
          <ErrorState
            error={categories.state.error}
            onRetry={categories.retry}
            title="Categories could not be loaded"
          />
        )}
        {categories.state.status === 'success' && (
          <ul className="category-list">
            {categories.state.data.map((c) => (
              <li key={c.id}>
                <Link to={`/c/${encodeURIComponent(c.slug)}`}>{c.name}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="featured-heading">
        <h2 id="featured-heading">Featured products</h2>
        {featured.state.status === 'loading' && <Loading label="Loading products…" />}
        {featured.state.status === 'error' && (
          <ErrorState
            error={featured.state.error}
            onRetry={featured.retry}
            title="Products could not be loaded"
          />
        )}
        {featured.state.status === 'success' && (
          <ProductGrid products={featured.state.data.items} eagerCount={2} />
        )}
      </section>
    </>
  );
}
