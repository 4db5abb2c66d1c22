/**
 * How a policy of this pack is declared: its documentation, the types it checks, and its
 * checks. The wrapper supplies what every policy needs the same way: the config, messages in
 * the form "what, why, fix", not-applicable answers, and the rule that an unknown value is a
 * mandatory violation, never a pass.
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
import { configSchema, describeConfigProblem, readConfig, type ConfigKey, type PackConfig } from "./config";
import { isUnknownValueError, unknownPath } from "./sdk";
import { label, type TypeToken } from "./types";

export const DEFAULT_ENFORCEMENT: EnforcementLevel = "mandatory";

export interface PolicyDoc {
  /** The policy's name; also its file name under `src/policies/`. */
  readonly name: string;
  /** What the policy requires, in one sentence. */
  readonly description: string;
  /** The risk when the requirement is not met. */
  readonly why: string;
  /** The usual fix; a violation may name a more specific one. */
  readonly fix: string;
  readonly severity: Severity;
  readonly enforcementLevel: EnforcementLevel;
  readonly appliesTo: readonly TypeToken[];
  readonly config: readonly ConfigKey[];
}

export interface Finding {
  readonly what: string;
  readonly fix?: string;
  /** The resource at fault (stack policies); resource policies report their own resource. */
  readonly urn?: string;
}

export interface Subject {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
}

export interface Context {
  readonly config: PackConfig;
  report(finding: Finding): void;
  /** Runs `check` about one resource; an unknown value read there is reported, not passed. */
  guard(subject: Subject, check: () => void): void;
}

export interface ResourceCheck {
  readonly types: readonly TypeToken[];
  check(r: ResourceValidationArgs, ctx: Context): void;
}

export interface StackCheck {
  /** The policy does not apply to a stack without any of these types. */
  readonly types: readonly TypeToken[];
  check(resources: readonly PolicyResource[], ctx: Context): void;
}

export interface PolicySpec extends Omit<PolicyDoc, "enforcementLevel" | "appliesTo"> {
  readonly enforcementLevel?: EnforcementLevel;
  readonly resource?: ResourceCheck;
  readonly stack?: StackCheck;
}

export interface PackPolicy {
  readonly doc: PolicyDoc;
  readonly policy: ResourceValidationPolicy | StackValidationPolicy;
}

export function formatFinding(doc: Pick<PolicyDoc, "why" | "fix">, f: Finding): string {
  return `${f.what}\nWhy: ${doc.why}\nFix: ${f.fix ?? doc.fix}`;
}

function makeContext(doc: PolicyDoc, config: PackConfig, reportViolation: ReportViolation): Context {
  const report = (f: Finding): void => reportViolation(formatFinding(doc, f), f.urn);
  return {
    config,
    report,
    guard(subject, check) {
      try {
        check();
      } catch (e) {
        if (!isUnknownValueError(e)) throw e;
        const path = unknownPath(e);
        report({
          urn: subject.urn,
          what: `${label(subject)} could not be checked: ${path} is unknown until deployment, so preview cannot show that it complies`,
          fix: `give ${path} a value known at preview time (a literal or stack config), or derive it from a resource of this stack`,
        });
      }
    },
  };
}

const appliesTo = (types: readonly TypeToken[]): string => `applies only to ${[...new Set(types.map((t) => t.split(":").pop() ?? t))].join(", ")}`;

export function definePolicy(spec: PolicySpec): PackPolicy {
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
    ...(doc.config.length > 0 ? { configSchema: configSchema(doc.config) } : {}),
  };
  const { resource, stack } = spec;
  if (stack !== undefined) {
    const validateStack = (args: StackValidationArgs, reportViolation: ReportViolation): void => {
      if (!args.resources.some((r) => (stack.types as readonly string[]).includes(r.type))) args.notApplicable(appliesTo(stack.types));
      const { config, problems } = readConfig(args.getConfig<Record<string, unknown>>());
      const ctx = makeContext(doc, config, reportViolation);
      for (const p of problems) ctx.report({ what: describeConfigProblem(p), fix: "correct the value in the policy config" });
      stack.check(args.resources, ctx);
    };
    return { doc, policy: { ...base, validateStack } };
  }
  if (resource === undefined) throw new Error(`policy "${spec.name}" has neither a resource nor a stack check`);
  const validateResource = (args: ResourceValidationArgs, reportViolation: ReportViolation): void => {
    if (!(resource.types as readonly string[]).includes(args.type)) args.notApplicable(appliesTo(resource.types));
    const { config, problems } = readConfig(args.getConfig<Record<string, unknown>>());
    const ctx = makeContext(doc, config, reportViolation);
    for (const p of problems) ctx.report({ what: describeConfigProblem(p) });
    ctx.guard(args, () => resource.check(args, ctx));
  };
  return { doc, policy: { ...base, validateResource } };
}
