import { join } from 'node:path';
import { LAB_DATABASE_MARK } from '@dhakacart/lab';
import { OrderHistory, readHistory } from '@dhakacart/loadtests';
import { assertSafeSource, checkInvariants, type InvariantsReport } from './checker';
import { HISTORY_DIR } from './command';
import { labSource } from './source';

/** A history file of its own for one run (a test, an experiment, a game day). */
export function runHistory(runId: string): OrderHistory {
  return new OrderHistory(join(HISTORY_DIR, `${runId}.jsonl`));
}

/** The invariants of the running lab, against a run's history, as the reader role. */
export async function labInvariants(history: OrderHistory, since: Date): Promise<InvariantsReport> {
  const src = await labSource();
  try {
    await assertSafeSource(src, LAB_DATABASE_MARK);
    return await checkInvariants(src, readHistory(history.file), { since });
  } finally {
    await src.close();
  }
}
