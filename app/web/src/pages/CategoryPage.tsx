import { wholeNumberOf } from '@dhakacart/numeric-text';
import { useParams, useSearchParams } from 'react-router';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { Pagination } from '../components/Pagination';
import { ProductGrid } from '../components/ProductCard';
import { useApi } from '../state/AppContext';
import { useQuery } from '../state/useQuery';
import { useTitle } from './useTitle';

export const PAGE_SIZE = 24;

/** "home-living" -> "Home living": a readable heading before (or without) the category list. */
export function slugToTitle(slug: string): string {
  const words = slug.replace(/-/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `?page=` as the api reads it (digits only, 1-10000); anything else is the first page. */
export function pageParam(v: string | null): number {
  const n = v === null ? NaN : wholeNumberOf(v);
  return n >= 1 && n <= 10000 ? n : 1;
}

export default function CategoryPage() {
  const { slug = '' } = useParams();
  const [params] = useSearchParams();
  const page = pageParam(params.get('page'));
  const api = useApi();
  const categories = useQuery((signal) => api.categories({ signal }), [api]);
  const name =
    categories.state.status === 'success'
      ? (categories.state.data.find((c) => c.slug === slug)?.name ?? slugToTitle(slug))
      : slugToTitle(slug);
  useTitle(`${name} · DhakaCart`);
  const products = useQuery(
    (signal) => api.products({ category: slug, page, pageSize: PAGE_SIZE }, { signal }),
    [api, slug, page],
  );

  return (
    <>
      <h1>{name}</h1>
      {products.state.status === 'loading' && <Loading label="Loading products…" />}
      {products.state.status === 'error' && (
        <ErrorState error={products.state.error} onRetry={products.retry} />
      )}
      {products.state.status === 'success' && (
        <>
          <p className="result-count">{products.state.data.total} products</p>
          <ProductGrid products={products.state.data.items} eagerCount={2} />
          <Pagination
            page={page}
            pageSize={products.state.data.pageSize}
            total={products.state.data.total}
            hrefFor={(p) => `/c/${encodeURIComponent(slug)}?page=${p}`}
          />
        </>
      )}
    </>
  );
}
