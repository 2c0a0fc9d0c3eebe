import YAML from 'yaml';
import type { KubeObject } from './objects';

/** Multi-document YAML, stable across runs so the committed copy can be diffed. */
export function renderYaml(objects: KubeObject[], header: string): string {
  const docs = objects.map((o) =>
    YAML.stringify(o, {
      lineWidth: 0,
      sortMapEntries: false,
      aliasDuplicateObjects: false,
    }).trimEnd(),
  );
  return `# ${header}\n---\n${docs.join('\n---\n')}\n`;
}
