/**
 * The throwaway certificate helper lives with the other shared test helpers in
 * `@dhakacart/slo/src/testing` (slo is below lab-client, so both can use it without a cycle).
 */
export { selfSignedCert, selfSignedEdgePem } from '@dhakacart/slo/src/testing/self-signed';
