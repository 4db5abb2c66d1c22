/**
 * The pack's entry point (package.json "main", compiled to bin/index.js): the engine runs it
 * and the SDK serves the policies over the analyzer protocol. Importing it starts that
 * server, so nothing else imports it; the contents live in `pack.ts`.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_ARGS, PACK_NAME } from "./pack";

new PolicyPack(PACK_NAME, PACK_ARGS);
