export const LOW_STOCK = 5;

export function stockLabel(stock: number): string {
  if (stock <= 0) return 'Out of stock';
  if (stock <= LOW_STOCK) return `Only ${stock} left`;
  return 'In stock';
}

export function StockBadge({ stock }: { stock: number }) {
  const cls = stock <= 0 ? 'stock out' : stock <= LOW_STOCK ? 'stock low' : 'stock in';
  return <span className={cls}>{stockLabel(stock)}</span>;
}
