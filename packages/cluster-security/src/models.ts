/**
 * The Istio objects built with the typed models of `@kubernetes-models/istio`, so each spec
 * is checked against the CRD schema here, at construction, and against istiod's own rules
 * (condition keys, empty sources) by the zone model's validator. Plain data in and out.
 */
import { AuthorizationPolicy } from "@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy";
import { RequestAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/RequestAuthentication";
import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1beta1/PeerAuthentication";
import { istio, throwIfProblems, type Problem } from "@pfv5/zones";
import type { IstioPlan, ObjectMeta } from "./istio-policies";

/** A validated object, ready to hand to `CustomResource`. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly spec: Record<string, unknown>;
}

interface Validatable {
  validate(): void;
}

function check(what: string, model: Validatable, value: unknown, problems: Problem[]): void {
  try {
    model.validate();
  } catch (e) {
    problems.push({ key: what, value, message: `does not match the Istio CRD schema (${e instanceof Error ? e.message : String(e)}): fix the field named` });
  }
}

function manifest(apiVersion: string, kind: string, metadata: ObjectMeta, spec: object): Manifest {
  return { apiVersion, kind, metadata, spec: JSON.parse(JSON.stringify(spec)) as Record<string, unknown> };
}

/**
 * Builds every Istio object of the plan through its typed model and validates it; throws one
 * error naming every invalid object.
 */
export function istioManifests(plan: IstioPlan): Manifest[] {
  const problems: Problem[] = [];
  const out: Manifest[] = [];
  for (const p of plan.peerAuthentications) {
    const model = new PeerAuthentication({ metadata: p.metadata, spec: p.spec });
    check(`PeerAuthentication "${p.metadata.namespace}/${p.metadata.name}"`, model, p.spec, problems);
    out.push(manifest(PeerAuthentication.apiVersion, PeerAuthentication.kind, p.metadata, model.spec ?? {}));
  }
  for (const r of plan.requestAuthentications) {
    const model = new RequestAuthentication({ metadata: r.metadata, spec: r.spec });
    check(`RequestAuthentication "${r.metadata.namespace}/${r.metadata.name}"`, model, r.spec, problems);
    out.push(manifest(RequestAuthentication.apiVersion, RequestAuthentication.kind, r.metadata, model.spec ?? {}));
  }
  for (const a of plan.authorizationPolicies) {
    const what = `AuthorizationPolicy "${a.metadata.namespace}/${a.metadata.name}"`;
    problems.push(...istio.authorizationPolicyProblems(what, a));
    const model = new AuthorizationPolicy({ metadata: a.metadata, spec: a.spec });
    check(what, model, a.spec, problems);
    out.push(manifest(AuthorizationPolicy.apiVersion, AuthorizationPolicy.kind, a.metadata, model.spec ?? {}));
  }
  throwIfProblems("Istio objects", problems);
  return out;
}
