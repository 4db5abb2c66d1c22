/**
 * The registry: one line per policy, in the order the pack reports them. Adding a policy is
 * a file in this directory, named after the policy, and one line here.
 */
export { namespaceDefaultDeny } from "./namespace-default-deny";
export { noIngressFromAllNamespaces } from "./no-ingress-from-all-namespaces";
export { noEgressAnywhereOnDatabasePorts } from "./no-egress-anywhere-on-database-ports";
export { noWorldIpBlock } from "./no-world-ipblock";
export { peerAuthenticationStrict } from "./peer-authentication-strict";
export { authorizationRulesNameTheirSource } from "./authorization-rules-name-their-source";
export { authorizationConditionKeys } from "./authorization-condition-keys";
export { requestAuthenticationEnforced } from "./request-authentication-enforced";
export { noHostNetwork } from "./no-host-network";
