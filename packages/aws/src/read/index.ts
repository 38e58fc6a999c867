// Every reader the collector uses after the caller is identified, imported as one module while the
// first call is in flight (each reader imports its SDK client package, the bulk of start-up time).
export { readAccountPublicAccessBlock } from './account-public-access-block.js';
export { listBuckets, readBucket } from './buckets.js';
export { readEventDataStores } from './event-data-stores.js';
export { collectEventHistory } from './event-history.js';
export { readIam } from './iam.js';
export { readKey } from './keys.js';
export { bucketAcceptsCloudTrail } from './trail-destinations.js';
export { readMonitoring } from './monitoring.js';
export { discoverOrganization, readCloudTrailDelegatedAdmins } from './organization.js';
export { readRegions, regionsToScan } from './regions.js';
export { readRootUser } from './root-user.js';
export { readForeignTrailDetails } from './foreign-trails.js';
export { isScpRegionDeny, listedRegions, listTrails, readTrailDetails } from './trails.js';
export * as sdkClients from '../sdk-clients.js';
