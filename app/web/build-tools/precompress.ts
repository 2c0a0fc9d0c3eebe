// Writes a .gz beside every compressible file in dist/ (gzip -9), so nginx's gzip_static serves
// them without compressing on each request: less CPU per web pod at peak, smaller transfers.
// Usage: tsx build-tools/precompress.ts [--dist dir]
import { resolve } from 'node:path';
import { filesToCompress, precompress } from './compress';

function main(argv: string[]): number {
  if (argv.includes('--help')) {
    console.log(
      'Usage: precompress [--dist DIR]\nWrites FILE.gz (gzip -9) next to each compressible file.',
    );
    return 0;
  }
  const i = argv.indexOf('--dist');
  const dist = resolve(i >= 0 && argv[i + 1] ? argv[i + 1]! : 'dist');
  const files = filesToCompress(dist);
  const { raw, gz } = precompress(files);
  console.log(
    `precompressed ${files.length} files: ${(raw / 1024).toFixed(1)} kB -> ${(gz / 1024).toFixed(1)} kB`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
