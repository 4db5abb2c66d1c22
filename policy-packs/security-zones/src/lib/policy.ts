/**
 * How a policy of this pack is declared: its documentation (the catalogue is generated from
 * it), the resource types it checks, and its checks. The wrapper supplies what every policy
 * needs the same way: the site config, messages in the form "what, why, fix", not-applicable
 * answers, and the rule that an unknown value is a mandatory violation rather than a pass.
 */
import type {
  EnforcementLevel,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Site } from "./addresses";
import { describeConfigProblem, readSite, siteSchema, type SiteKey } from "./config";
import { label, StackGraph } from "./graph";
import { isUnknownValueError, unknownPath } from "./sdk";
import { shortType, type TypeToken } from "./types";

/** Every policy of the pack blocks the deployment unless the policy config says otherwise. */
export const DEFAULT_ENFORCEMENT: EnforcementLevel = "mandatory";

export interface PolicyDoc {
  /** The policy's name; also its file name under `src/policies/`. */
  readonly name: string;
  /** One sentence: what the policy requires. */
  readonly description: string;
  /** Why it matters: the risk when the requirement is not met. */
  readonly why: string;
  /** The usual fix; a violation may give a more specific one. */
  readonly fix: string;
  readonly severity: Severity;
  readonly enforcementLevel: EnforcementLevel;
  /** The resource types the policy reads. */
  readonly appliesTo: readonly TypeToken[];
  /** The site values (policy config) the policy reads. */
  readonly config: readonly SiteKey[];
}

/** One problem found: what is wrong, naming the resource and rule; optionally a specific fix. */
export interface Finding {
  readonly what: string;
  readonly fix?: string;
  /** The resource at fault (stack policies); resource policies always report their resource. */
  readonly urn?: string;
}

export interface Subject {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
}

export interface Context {
  readonly site: Site;
  report(finding: Finding): void;
  /**
   * Runs `check` about one resource. If it reads a value that is unknown in preview, the
   * resource is reported as not checkable (a mandatory violation, never a silent pass) and
   * the policy goes on with the next resource. Returns whether `check` ran to the end.
   */
  guard(subject: Subject, check: () => void): boolean;
}

export interface ResourceCheck {
  readonly types: readonly TypeToken[];
  check(r: ResourceValidationArgs, ctx: Context): void;
}

export interface StackCheck {
  /** The policy does not apply to a stack without any of these types. */
  readonly types: readonly TypeToken[];
  check(graph: StackGraph, ctx: Context): void;
}

export interface PolicySpec extends Omit<PolicyDoc, "enforcementLevel" | "appliesTo"> {
  readonly enforcementLevel?: EnforcementLevel;
  readonly resource?: ResourceCheck;
  readonly stack?: StackCheck;
}

/**
 * A policy with both a resource and a stack part: the SDK runs `validateResource` on each
 * resource's inputs and `validateStack` on the stack's outputs and resource graph. Inline
 * rules must be judged on inputs (after deployment a security group's `ingress` output
 * lists every rule of the group, rule resources included); references between resources
 * need the graph.
 */
export type PackPolicy = ResourceValidationPolicy & Partial<Pick<StackValidationPolicy, "validateStack">>;

export interface ZonePolicy {
  readonly doc: PolicyDoc;
  readonly policy: PackPolicy | StackValidationPolicy;
}

/** The message a violation carries after the policy's description: what, why, fix. */
export function formatFinding(doc: Pick<PolicyDoc, "why" | "fix">, finding: Finding): string {
  return `${finding.what}\nWhy: ${doc.why}\nFix: ${finding.fix ?? doc.fix}`;
}

function unknownFinding(subject: Subject, path: string): Finding {
  return {
    urn: subject.urn,
    what: `${label(subject)} could not be checked: ${path} is unknown until deployment, so preview cannot show that it complies`,
    fix:
      `give ${path} a value known at preview time (a literal, stack config or an awaited invoke), or derive it from a resource ` +
      `of this stack so the policy can follow the reference through the resource graph`,
  };
}

function makeContext(doc: PolicyDoc, site: Site, reportViolation: ReportViolation): Context {
  const report = (f: Finding) => reportViolation(formatFinding(doc, f), f.urn);
  return {
    site,
    report,
    guard(subject, check) {
      try {
        check();
        return true;
      } catch (e) {
        if (!isUnknownValueError(e)) throw e;
        report(unknownFinding(subject, unknownPath(e)));
        return false;
      }
    },
  };
}

function appliesTo(types: readonly TypeToken[]): string {
  return `applies only to ${types.map(shortType).join(", ")}`;
}

export function definePolicy(spec: PolicySpec): ZonePolicy {
  const types = [...new Set([...(spec.resource?.types ?? []), ...(spec.stack?.types ?? [])])];
  const doc: PolicyDoc = {
    name: spec.name,
    description: spec.description,
    why: spec.why,
    fix: spec.fix,
    severity: spec.severity,
    enforcementLevel: spec.enforcementLevel ?? DEFAULT_ENFORCEMENT,
    appliesTo: types,
    config: spec.config,
  };
  const base = {
    name: doc.name,
    description: doc.description,
    enforcementLevel: doc.enforcementLevel,
    severity: doc.severity,
    remediationSteps: doc.fix,
    ...(doc.config.length > 0 ? { configSchema: siteSchema(doc.config) } : {}),
  };
  const { resource, stack } = spec;

  const validateStack = stack === undefined ? undefined : (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const graph = new StackGraph(args.resources);
    if (!stack.types.some((t) => graph.has(t))) args.notApplicable(appliesTo(stack.types));
    const { site, problems } = readSite(args.getConfig<Record<string, unknown>>());
    const ctx = makeContext(doc, site, reportViolation);
    for (const p of problems) ctx.report({ what: describeConfigProblem(p), fix: "correct the value in the policy config (pulumi --policy-pack-config)" });
    stack.check(graph, ctx);
  };

  if (resource === undefined) {
    if (validateStack === undefined) throw new Error(`policy "${spec.name}" has neither a resource nor a stack check`);
    return { doc, policy: { ...base, validateStack } };
  }
  const validateResource = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (!(resource.types as readonly string[]).includes(args.type)) args.notApplicable(appliesTo(resource.types));
    const { site, problems } = readSite(args.getConfig<Record<string, unknown>>());
    const ctx = makeContext(doc, site, reportViolation);
    // A stack part reports config problems once per run; without one, each resource does.
    if (validateStack === undefined) for (const p of problems) ctx.report({ what: describeConfigProblem(p) });
    ctx.guard(args, () => resource.check(args, ctx));
  };
  return { doc, policy: { ...base, validateResource, ...(validateStack !== undefined ? { validateStack } : {}) } };
}

/** Runs `check` for each resource in the stack of `type`, guarded. */
export function eachGuarded<R extends { readonly resource: PolicyResource }>(ctx: Context, items: readonly R[], check: (item: R) => void): void {
  for (const item of items) ctx.guard(item.resource, () => check(item));
}
