// Product images always carry width and height (no layout shift) and load lazily unless the
// caller knows they are above the fold. A broken or foreign image URL falls back to the local
// placeholder, which the strict CSP (img-src 'self') also requires.
import { useState } from 'react';

export const PLACEHOLDER_IMAGE = '/images/product-placeholder.svg';

export function imageSrc(url: string): string {
  // Same-origin paths only: the CSP forbids other hosts, so don't even try them.
  return url.startsWith('/') && !url.startsWith('//') ? url : PLACEHOLDER_IMAGE;
}

export function ProductImage({
  url,
  alt,
  size = 240,
  eager = false,
}: {
  url: string;
  alt: string;
  size?: number;
  eager?: boolean;
}) {
  const [src, setSrc] = useState(() => imageSrc(url));
  return (
    <img
      className="product-image"
      src={src}
      alt={alt}
      width={size}
      height={size}
      loading={eager ? 'eager' : 'lazy'}
      decoding="async"
      onError={() => setSrc(PLACEHOLDER_IMAGE)}
    />
  );
}
