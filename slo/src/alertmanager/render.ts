import * as fs from 'node:fs';
import * as path from 'node:path';
import { LAB_RECEIVERS, renderAlertmanagerConfig } from './config';

// Writes the lab's Alertmanager config; `npm run check` regenerates it and diffs the result.
const out = path.resolve(__dirname, '../../alertmanager/generated/alertmanager.yml');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, renderAlertmanagerConfig(LAB_RECEIVERS));
console.log(`wrote ${path.relative(process.cwd(), out)}`);
