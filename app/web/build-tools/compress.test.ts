/** @jest-environment node */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { filesToCompress, precompress } from './compress';

describe('precompress', () => {
  it('gzips compressible files of any depth, skipping tiny files, images and the manifest dir', () => {
    const dir = mkdtempSync(join(tmpdir(), 'web-dist-'));
    mkdirSync(join(dir, 'assets'));
    mkdirSync(join(dir, '.vite'));
    const js = 'console.log("DhakaCart");\n'.repeat(50);
    writeFileSync(join(dir, 'assets', 'index-abc.js'), js);
    writeFileSync(join(dir, 'assets', 'tiny.css'), 'a{}');
    writeFileSync(join(dir, 'assets', 'photo.png'), Buffer.alloc(4096));
    writeFileSync(join(dir, '.vite', 'manifest.json'), JSON.stringify({ x: 'y'.repeat(500) }));
    writeFileSync(join(dir, 'index.html'), `<html>${'<p>x</p>'.repeat(100)}</html>`);
    const files = filesToCompress(dir)
      .map((f) => f.slice(dir.length + 1))
      .sort();
    expect(files).toEqual(['assets/index-abc.js', 'index.html']);
    const { raw, gz } = precompress(filesToCompress(dir));
    expect(gz).toBeLessThan(raw);
    expect(gunzipSync(readFileSync(join(dir, 'assets', 'index-abc.js.gz'))).toString()).toBe(js);
  });
});
