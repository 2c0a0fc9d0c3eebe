import { resolveImages } from '@dhakacart/images';
import { imageExists, scanImage, type ImageScan } from './scan-image';

export interface ImagesScan {
  ok: boolean;
  scans: ImageScan[];
  /** Project images that are not built here: a scan that skipped them would prove nothing. */
  missing: string[];
}

/** Every project image (tools/images knows them), or the named ones, one after another. */
export async function scanProjectImages(
  names: string[] = [],
  log: (line: string) => void = () => undefined,
): Promise<ImagesScan> {
  const all = resolveImages();
  const unknown = names.filter((n) => !all.some((i) => i.name === n));
  if (unknown.length) {
    throw new Error(
      `unknown image(s) ${unknown.join(', ')} (known: ${all.map((i) => i.name).join(', ')})`,
    );
  }
  const chosen = names.length ? all.filter((i) => names.includes(i.name)) : all;
  const scans: ImageScan[] = [];
  const missing: string[] = [];
  for (const i of chosen) {
    if (!imageExists(i.ref)) {
      missing.push(i.ref);
      log(`secrets: ${i.ref} is not built (npm run images)`);
      continue;
    }
    const s = await scanImage(i.ref);
    log(`secrets: ${i.ref}: ${s.findings.length} finding(s) in ${s.seconds} s`);
    scans.push(s);
  }
  return { ok: !missing.length && scans.every((s) => s.ok), scans, missing };
}
