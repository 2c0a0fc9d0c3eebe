// `pulumi up` entry point of the dhakacart-platform project.
import { loadPlatformConfig } from './config';
import { createPlatform } from './platform';

const platform = createPlatform(loadPlatformConfig());

export const projectId = platform.projectId;
export const region = platform.region;
export const environment = platform.environment;
export const domain = platform.domain;
export const cluster = platform.cluster;
export const database = platform.database;
export const redis = platform.redis;
export const dataTierCidr = platform.dataTierCidr;
export const secretIds = platform.secretIds;
export const gateway = platform.gateway;
export const serviceAccounts = platform.serviceAccounts;
export const ciWorkloadIdentityProvider = platform.ciWorkloadIdentityProvider;
export const veleroBucket = platform.veleroBucket;
export const registryUrl = platform.registryUrl;
export const network = platform.network;
export const loadtest = platform.loadtest;
export const binaryAuthorization = platform.binaryAuthorization;
