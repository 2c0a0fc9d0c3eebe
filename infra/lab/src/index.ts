/** The lab deployer as a library: bring-up, teardown, status and the waits they use. */
export { down, up, removeFaultResidue, waitForEdge, waitHealthy, LAB_IMAGES } from './up';
export { labStatus, formatStatus, swarmActive, type LabStatus, type ServiceStatus } from './status';
export { waitForDatabase } from './data-tier';
export { runJob, type JobSpec } from './jobs';
export { LAB_ROOT, STACK_FILES } from './paths';

export { ensureReaderRole, readerRoleSql, READER_ROLE, LAB_DATABASE_MARK } from './reader-role';
