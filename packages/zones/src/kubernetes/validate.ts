/**
 * What the API server rejects in a NetworkPolicy, so that the evaluator never reasons about
 * an object a cluster would not accept.
 */
import { cidrContains, CidrError, parseCidr } from "../cidr";
import type { Problem } from "../problems";
import { selectorProblems } from "./selector";
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from "./types";
import { POLICY_PROTOCOLS } from "./types";

const NAMED_PORT = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function cidrProblem(key: string, value: unknown): Problem | undefined {
  if (typeof value !== "string") return { key, value, message: "expected a CIDR block as text, e.g. 10.0.0.0/24" };
  try {
    parseCidr(value);
    return undefined;
  } catch (e) {
    return { key, value, message: e instanceof CidrError ? e.message : String(e) };
  }
}

function peerProblems(key: string, peer: NetworkPolicyPeer): Problem[] {
  const problems: Problem[] = [];
  const hasSelector = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
  if (peer.ipBlock !== undefined && hasSelector) {
    problems.push({ key, value: peer, message: "ipBlock cannot be combined with podSelector or namespaceSelector in one peer: make them separate peers" });
  }
  if (peer.ipBlock === undefined && !hasSelector) {
    problems.push({ key, value: peer, message: "a peer needs podSelector, namespaceSelector or ipBlock: an empty peer is rejected by the API server" });
  }
  if (peer.podSelector !== undefined) problems.push(...selectorProblems(`${key}.podSelector`, peer.podSelector));
  if (peer.namespaceSelector !== undefined) problems.push(...selectorProblems(`${key}.namespaceSelector`, peer.namespaceSelector));
  const block = peer.ipBlock;
  if (block !== undefined) {
    const bad = cidrProblem(`${key}.ipBlock.cidr`, block.cidr);
    if (bad !== undefined) problems.push(bad);
    (block.except ?? []).forEach((ex, i) => {
      const k = `${key}.ipBlock.except[${i}]`;
      const badEx = cidrProblem(k, ex);
      if (badEx !== undefined) problems.push(badEx);
      else if (bad === undefined && !cidrContains(block.cidr, ex)) {
        problems.push({ key: k, value: ex, message: `lies outside the block ${block.cidr}: an except entry must be inside cidr` });
      }
    });
  }
  return problems;
}

function portProblems(key: string, p: NetworkPolicyPort): Problem[] {
  const problems: Problem[] = [];
  if (p.protocol !== undefined && !POLICY_PROTOCOLS.includes(p.protocol)) {
    problems.push({ key: `${key}.protocol`, value: p.protocol, message: `use one of ${POLICY_PROTOCOLS.join(", ")} (upper case)` });
  }
  if (typeof p.port === "number") {
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      problems.push({ key: `${key}.port`, value: p.port, message: "a port number is a whole number from 1 to 65535" });
    }
  } else if (typeof p.port === "string") {
    if (p.port.length > 15 || !NAMED_PORT.test(p.port) || !/[a-z]/.test(p.port)) {
      problems.push({ key: `${key}.port`, value: p.port, message: "a named port is 1-15 lower-case letters, digits and dashes with at least one letter" });
    }
  } else if (p.port !== undefined) {
    problems.push({ key: `${key}.port`, value: p.port, message: "expected a port number or a container port name" });
  }
  if (p.endPort !== undefined) {
    if (typeof p.port !== "number") {
      problems.push({ key: `${key}.endPort`, value: p.endPort, message: "endPort needs a numeric port to start the range: set port to a number" });
    } else if (!Number.isInteger(p.endPort) || p.endPort < p.port || p.endPort > 65535) {
      problems.push({ key: `${key}.endPort`, value: p.endPort, message: `endPort must be a whole number from port (${p.port}) to 65535` });
    }
  }
  return problems;
}

/** Every problem with one policy; keys start with `key` (e.g. `policies[0]`). */
export function networkPolicyProblems(key: string, policy: NetworkPolicy): Problem[] {
  const problems: Problem[] = [];
  if (typeof policy.metadata?.name !== "string" || policy.metadata.name === "") {
    problems.push({ key: `${key}.metadata.name`, value: policy.metadata?.name ?? null, message: "a NetworkPolicy needs a name" });
  }
  if (typeof policy.metadata?.namespace !== "string" || policy.metadata.namespace === "") {
    problems.push({ key: `${key}.metadata.namespace`, value: policy.metadata?.namespace ?? null, message: "a NetworkPolicy is namespaced: set metadata.namespace" });
  }
  const spec = policy.spec;
  problems.push(...selectorProblems(`${key}.spec.podSelector`, spec?.podSelector));
  (spec?.policyTypes ?? []).forEach((t, i) => {
    if (t !== "Ingress" && t !== "Egress") {
      problems.push({ key: `${key}.spec.policyTypes[${i}]`, value: t, message: "use Ingress or Egress" });
    }
  });
  (spec?.ingress ?? []).forEach((rule, i) => {
    const k = `${key}.spec.ingress[${i}]`;
    (rule.from ?? []).forEach((peer, j) => problems.push(...peerProblems(`${k}.from[${j}]`, peer)));
    (rule.ports ?? []).forEach((p, j) => problems.push(...portProblems(`${k}.ports[${j}]`, p)));
  });
  (spec?.egress ?? []).forEach((rule, i) => {
    const k = `${key}.spec.egress[${i}]`;
    (rule.to ?? []).forEach((peer, j) => problems.push(...peerProblems(`${k}.to[${j}]`, peer)));
    (rule.ports ?? []).forEach((p, j) => problems.push(...portProblems(`${k}.ports[${j}]`, p)));
  });
  return problems;
}
