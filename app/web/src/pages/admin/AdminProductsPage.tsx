import { wholeNumberOf } from '@dhakacart/numeric-text';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { describeError } from '../../api/client';
import type { Product } from '../../api/types';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { Pagination } from '../../components/Pagination';
import { Price } from '../../components/Price';
import { paisaToTakaInput, parseTakaToPaisa } from '../../lib/money';
import { useApi } from '../../state/AppContext';
import { useQuery } from '../../state/useQuery';
import { pageParam } from '../CategoryPage';
import { useTitle } from '../useTitle';

const ADMIN_PAGE_SIZE = 20;

export function parseStock(s: string): number | null {
  const n = wholeNumberOf(s.trim());
  return n <= 9_999_999 ? n : null;
}

export default function AdminProductsPage() {
  useTitle('Products · Admin · DhakaCart');
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const page = pageParam(params.get('page'));
  const [filter, setFilter] = useState(q);
  const list = useQuery(
    (signal) => api.products({ q: q || undefined, page, pageSize: ADMIN_PAGE_SIZE }, { signal }),
    [api, q, page],
  );

  return (
    <section>
      <h1>Products</h1>
      <p>
        <Link to="/admin/orders">All orders</Link>
      </p>
      <NewProductForm onCreated={() => list.retry()} />
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setParams(filter.trim() ? { q: filter.trim() } : {});
        }}
      >
        <label htmlFor="admin-filter">Find products</label>
        <input
          id="admin-filter"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <button type="submit" className="button">
          Find
        </button>
      </form>
      {list.state.status === 'loading' && <Loading label="Loading products…" />}
      {list.state.status === 'error' && (
        <ErrorState error={list.state.error} onRetry={list.retry} />
      )}
      {list.state.status === 'success' && (
        <>
          <table className="admin-table">
            <caption>
              {list.state.data.total} {list.state.data.total === 1 ? 'product' : 'products'}
            </caption>
            <thead>
              <tr>
                <th scope="col">SKU</th>
                <th scope="col">Name</th>
                <th scope="col">Price</th>
                <th scope="col">Stock</th>
                <th scope="col">
                  <span className="visually-hidden">Edit</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.state.data.items.map((p) => (
                <ProductRow key={p.id} product={p} />
              ))}
            </tbody>
          </table>
          <Pagination
            page={page}
            pageSize={list.state.data.pageSize}
            total={list.state.data.total}
            hrefFor={(p) =>
              `/admin/products?${new URLSearchParams({ ...(q ? { q } : {}), page: String(p) })}`
            }
          />
        </>
      )}
    </section>
  );
}

function ProductRow({ product }: { product: Product }) {
  const api = useApi();
  const [current, setCurrent] = useState(product);
  const [price, setPrice] = useState(paisaToTakaInput(product.pricePaisa));
  const [stock, setStock] = useState(String(product.stock));
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  const save = (e: FormEvent) => {
    e.preventDefault();
    const pricePaisa = parseTakaToPaisa(price);
    const stockN = parseStock(stock);
    if (pricePaisa === null || pricePaisa <= 0)
      return setMsg({ ok: false, text: 'Price must be a taka amount like 1250.50.' });
    if (stockN === null) return setMsg({ ok: false, text: 'Stock must be a whole number.' });
    const patch: { pricePaisa?: number; stock?: number } = {};
    if (pricePaisa !== current.pricePaisa) patch.pricePaisa = pricePaisa;
    if (stockN !== current.stock) patch.stock = stockN;
    if (!Object.keys(patch).length) return setMsg({ ok: true, text: 'No changes.' });
    setBusy(true);
    setMsg(null);
    api
      .updateProduct(current.id, patch)
      .then(
        (p) => {
          // Fall back to what we sent if the API answers without the product.
          const next = { ...current, ...patch, ...(p.id ? p : {}) };
          setCurrent(next);
          setPrice(paisaToTakaInput(next.pricePaisa));
          setStock(String(next.stock));
          setMsg({ ok: true, text: 'Saved.' });
        },
        (err: unknown) => setMsg({ ok: false, text: describeError(err) }),
      )
      .finally(() => setBusy(false));
  };

  const formId = `edit-${current.id}`;
  return (
    <tr>
      <td>{current.sku}</td>
      <td>
        <Link to={`/p/${encodeURIComponent(current.id)}`}>{current.name}</Link>
        <br />
        <Price paisa={current.pricePaisa} className="muted" />
      </td>
      <td>
        <label htmlFor={`${formId}-price`} className="visually-hidden">
          Price in taka for {current.name}
        </label>
        <input
          id={`${formId}-price`}
          form={formId}
          inputMode="decimal"
          size={9}
          value={price}
          onChange={(e) => setPrice(e.target.value)}
        />
      </td>
      <td>
        <label htmlFor={`${formId}-stock`} className="visually-hidden">
          Stock for {current.name}
        </label>
        <input
          id={`${formId}-stock`}
          form={formId}
          inputMode="numeric"
          size={5}
          value={stock}
          onChange={(e) => setStock(e.target.value)}
        />
      </td>
      <td>
        <form id={formId} onSubmit={save}>
          <button type="submit" className="button" disabled={busy}>
            Save<span className="visually-hidden"> {current.name}</span>
          </button>
        </form>
        {msg && (
          <span role={msg.ok ? 'status' : 'alert'} className={msg.ok ? 'notice' : 'field-error'}>
            {msg.text}
          </span>
        )}
      </td>
    </tr>
  );
}

function NewProductForm({ onCreated }: { onCreated: () => void }) {
  const api = useApi();
  const categories = useQuery((signal) => api.categories({ signal }), [api]);
  const [open, setOpen] = useState(false);
  const [v, setV] = useState({ sku: '', name: '', category: '', price: '', stock: '0' });
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) =>
    setV({ ...v, [k]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const pricePaisa = parseTakaToPaisa(v.price);
    const stock = parseStock(v.stock);
    const sku = v.sku.trim().toUpperCase();
    if (!sku || !v.name.trim() || !v.category)
      return setMsg({ ok: false, text: 'SKU, product name and category are required.' });
    if (!/^[A-Z0-9-]{3,32}$/.test(sku))
      return setMsg({ ok: false, text: 'SKU is 3–32 letters, digits or dashes, like GRO-010001.' });
    if (pricePaisa === null || pricePaisa <= 0)
      return setMsg({ ok: false, text: 'Price must be a taka amount like 1250.50.' });
    if (stock === null) return setMsg({ ok: false, text: 'Stock must be a whole number.' });
    setBusy(true);
    setMsg(null);
    api
      .createProduct({
        sku,
        name: v.name.trim(),
        category: v.category,
        pricePaisa,
        stock,
      })
      .then(
        (p) => {
          setMsg({ ok: true, text: `Created ${p.name || v.name}.` });
          setV({ sku: '', name: '', category: v.category, price: '', stock: '0' });
          onCreated();
        },
        (err: unknown) => setMsg({ ok: false, text: describeError(err) }),
      )
      .finally(() => setBusy(false));
  };

  if (!open) {
    return (
      <button type="button" className="button" onClick={() => setOpen(true)}>
        New product
      </button>
    );
  }
  return (
    <form className="new-product" onSubmit={submit}>
      <fieldset>
        <legend>New product</legend>
        <label htmlFor="np-sku">SKU</label>
        <input id="np-sku" value={v.sku} onChange={set('sku')} maxLength={64} />
        <label htmlFor="np-name">Product name</label>
        <input id="np-name" value={v.name} onChange={set('name')} maxLength={200} />
        <label htmlFor="np-category">Category</label>
        <select id="np-category" value={v.category} onChange={set('category')}>
          <option value="">Choose…</option>
          {categories.state.status === 'success' &&
            categories.state.data.map((c) => (
              <option key={c.id} value={c.slug}>
                {c.name}
              </option>
            ))}
        </select>
        <label htmlFor="np-price">Price in taka</label>
        <input id="np-price" inputMode="decimal" value={v.price} onChange={set('price')} />
        <label htmlFor="np-stock">Stock</label>
        <input id="np-stock" inputMode="numeric" value={v.stock} onChange={set('stock')} />
        <button type="submit" className="button primary" disabled={busy}>
          Create product
        </button>
        {msg && (
          <span role={msg.ok ? 'status' : 'alert'} className={msg.ok ? 'notice' : 'field-error'}>
            {msg.text}
          </span>
        )}
      </fieldset>
    </form>
  );
}
