/**
 * ConfigMaps with this label carry a manifest a Job or a person applies later (the peak TestRun,
 * the drill's Velero Restore); the offline validation checks those manifests like any object.
 */
export const EMBEDDED_MANIFEST_LABEL = 'dhakacart.io/embedded-manifest';
