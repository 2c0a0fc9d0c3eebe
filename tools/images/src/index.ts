export {
  buildImages,
  resolveImages,
  withBases,
  type BuildReport,
  type ResolvedImage,
} from './build';
export { images, NODE_VERSION, VICTORIA_LOGS, goToolsOf, type GoTool } from './manifest';

import { resolveImages } from './build';

/** The content-addressed reference of one project image (e.g. for testcontainers). */
export function imageRef(name: string): string {
  const r = resolveImages().find((i) => i.name === name);
  if (!r) throw new Error(`unknown image "${name}"`);
  return r.ref;
}
