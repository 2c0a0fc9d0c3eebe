import { formatBDT } from '../lib/money';

export function Price({ paisa, className }: { paisa: number; className?: string }) {
  return <span className={className ? `price ${className}` : 'price'}>{formatBDT(paisa)}</span>;
}
