export { runOfflinePreview, DEFAULT_POLICY_PACK, DEFAULT_POLICY_PACKS, engineOrder, type OfflinePreviewOptions } from "./runner";
export { main as runCli, USAGE } from "./cli";
export { renderHuman, renderJson, toJson, renderTree, countByType, summaryLine, displayValue } from "./render";
export { DEFAULT_REPORTERS, RESERVED_JSON_KEYS, type Reporter, type ReporterInput } from "./reporters";
export { INVOKE_HANDLERS, answerInvoke, zoneIdPrefix, OFFLINE_AZ_COUNT, type InvokeHandler, type InvokeContext } from "./invokes";
export { UNKNOWN, SIG_KEY, SECRET_SIG, isSecretEnvelope, containsUnknown, redact } from "./proto";
export { ConfigError, SECRET_PLACEHOLDER, parseOverride, readProject, readStackConfig, engineEnv } from "./config";
export { defaultPolicyConfigFile } from "./policy-config";
export type * from "./types";
