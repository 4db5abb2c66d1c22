/**
 * Label selectors as Kubernetes defines them: matchLabels and matchExpressions all have to
 * hold; an empty selector matches everything.
 */
import type { Problem } from "../problems";
import type { LabelSelector, LabelSelectorRequirement } from "./types";

const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"] as const;

function requirementHolds(req: LabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      // A pod without the key is "not in" the set: NotIn also selects unlabelled objects.
      return value === undefined || !values.includes(value);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
  }
}

/** Whether `labels` satisfy `selector`. */
export function matchesSelector(selector: LabelSelector, labels: Readonly<Record<string, string>> = {}): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  return (selector.matchExpressions ?? []).every((req) => requirementHolds(req, labels));
}

/** Whether the selector has no requirement at all (and so matches everything). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** Problems the API server would reject the selector for. */
export function selectorProblems(key: string, selector: unknown): Problem[] {
  if (selector === null || typeof selector !== "object" || Array.isArray(selector)) {
    return [{ key, value: selector, message: "expected a label selector object, e.g. { matchLabels: { app: \"web\" } }" }];
  }
  const s = selector as LabelSelector;
  const problems: Problem[] = [];
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) {
    if (typeof v !== "string") {
      problems.push({ key: `${key}.matchLabels.${k}`, value: v, message: "label values are strings: quote the value" });
    }
  }
  (s.matchExpressions ?? []).forEach((req, i) => {
    const k = `${key}.matchExpressions[${i}]`;
    if (!(OPERATORS as readonly string[]).includes(req.operator)) {
      problems.push({ key: `${k}.operator`, value: req.operator, message: `unknown operator: use one of ${OPERATORS.join(", ")}` });
      return;
    }
    const n = req.values?.length ?? 0;
    if ((req.operator === "In" || req.operator === "NotIn") && n === 0) {
      problems.push({ key: `${k}.values`, value: req.values ?? null, message: `${req.operator} needs at least one value: list the values to compare with` });
    }
    if ((req.operator === "Exists" || req.operator === "DoesNotExist") && n > 0) {
      problems.push({ key: `${k}.values`, value: req.values, message: `${req.operator} takes no values: remove them` });
    }
  });
  return problems;
}
