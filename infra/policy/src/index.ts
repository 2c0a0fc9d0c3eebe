// `pulumi preview --policy-pack infra/policy` (or `pulumi policy publish`) entry point.
import { PolicyPack } from '@pulumi/policy';
import { ALL_POLICIES } from './policies';

new PolicyPack('dhakacart-guardrails', { enforcementLevel: 'mandatory', policies: ALL_POLICIES });
