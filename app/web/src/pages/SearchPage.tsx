import { useSearchParams } from 'react-router';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { Pagination } from '../components/Pagination';
import { ProductGrid } from '../components/ProductCard';
import { useApi } from '../state/AppContext';
import { useQuery } from '../state/useQuery';
import { PAGE_SIZE, pageParam } from './CategoryPage';
import { useTitle } from './useTitle';

export default function SearchPage() {
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim().slice(0, 100);
  const page = pageParam(params.get('page'));
  const api = useApi();
  useTitle(q ? `“${q}” · Search · DhakaCart` : 'Search · DhakaCart');
  const results = useQuery(
    (signal) =>
      q ? api.products({ q, page, pageSize: PAGE_SIZE }, { signal }) : Promise.resolve(null),
    [api, q, page],
  );

  return (
    <>
      <h1>{q ? `Search results for “${q}”` : 'Search'}</h1>
      {!q && <p>Type what you are looking for in the search box.</p>}
      {results.state.status === 'loading' && <Loading label="Searching…" />}
      {results.state.status === 'error' && (
        <ErrorState error={results.state.error} onRetry={results.retry} />
      )}
      {results.state.status === 'success' && results.state.data && (
        <>
          <p className="result-count">
            {results.state.data.total} {results.state.data.total === 1 ? 'result' : 'results'}
          </p>
          <ProductGrid products={results.state.data.items} eagerCount={2} />
          <Pagination
            page={page}
            pageSize={results.state.data.pageSize}
            total={results.state.data.total}
            hrefFor={(p) => `/search?q=${encodeURIComponent(q)}&page=${p}`}
          />
        </>
      )}
    </>
  );
}
