/**
 * The registry: one line per policy (the pack reports them sorted by name). Adding a policy
 * is a file in this directory, named after the policy, with its test beside it, and one
 * line here.
 */
export { internetIngressDmzOnly } from "./internet-ingress-dmz-only";
export { noInternetAdminPorts } from "./no-internet-admin-ports";
export { noInternetRouteFromData } from "./no-internet-route-from-data";
export { dataEgressInsideVpc } from "./data-egress-inside-vpc";
export { noInlineSecurityGroupRules } from "./no-inline-security-group-rules";
export { azureSubnetsHaveNsg } from "./azure-subnets-have-nsg";
export { noInlineVnetSubnets } from "./no-inline-vnet-subnets";
export { nsgEndsWithDenyAll } from "./nsg-ends-with-deny-all";
export { vpcFlowLogs } from "./vpc-flow-logs";
export { defaultSecurityGroupClosed } from "./default-security-group-closed";
export { tlsMinimumVersion } from "./tls-minimum-version";
export { tlsHttpRedirectOnly } from "./tls-http-redirect-only";
export { tlsKeyStrength } from "./tls-key-strength";
export { tlsNoSelfSignedPublic } from "./tls-no-self-signed-public";
export { tlsApprovedIssuer } from "./tls-approved-issuer";
export { tlsNoInlineIssuerCredentials } from "./tls-no-inline-issuer-credentials";
export { tlsWildcardDns01 } from "./tls-wildcard-dns01";
export { zoneMatrix } from "./zone-matrix";
export { zoneMatrixMissing } from "./zone-matrix-missing";
export { ec2Imdsv2Required } from "./ec2-imdsv2-required";
export { ec2RootVolumeEncrypted } from "./ec2-root-volume-encrypted";
export { sshOnlyFromSiteOrAdmins } from "./ssh-only-from-site-or-admins";
export { publicIpOnlyInDmz } from "./public-ip-only-in-dmz";
export { logGroupRetentionSet } from "./log-group-retention-set";
