import { label } from "../lib/graph";
import { definePolicy } from "../lib/policy";
import { record, TLS_T } from "../lib/tls";
import { propsOf } from "../lib/types";

/** Curves of at least 128-bit strength, as the tls provider names them. */
const STRONG_CURVES = ["P256", "P384", "P521"];
const MIN_RSA_BITS = 2048;
/** ACM key algorithms of at least that strength. */
const STRONG_ACM = ["RSA_2048", "RSA_3072", "RSA_4096", "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"];

export const tlsKeyStrength = definePolicy({
  name: "tls-key-strength",
  description: "Private keys are ECDSA on P-256 or larger, RSA of 2048 bits or more (or Ed25519).",
  why:
    "Smaller keys fall within reach of well-funded attackers within a certificate's lifetime, and browsers and CAs refuse " +
    "them. The tls provider's ECDSA default is P-224, below the 128-bit level, so the curve must be chosen.",
  fix: 'use algorithm "ECDSA" with ecdsaCurve "P256" (or "P384"), or RSA with 2048 bits or more',
  severity: "high",
  config: [],
  resource: {
    types: [TLS_T.privateKey, TLS_T.certificate, TLS_T.acmCertificate],
    check(r, ctx) {
      const key = propsOf(r, TLS_T.privateKey);
      if (key !== undefined) {
        if (key.algorithm === "ECDSA" && !STRONG_CURVES.includes(key.ecdsaCurve ?? "P224")) {
          ctx.report({ what: `${label(r)} is an ECDSA key on ${key.ecdsaCurve ?? "P224 (the provider's default, as no curve is set)"}` });
        } else if (key.algorithm === "RSA" && (key.rsaBits ?? 2048) < MIN_RSA_BITS) {
          ctx.report({ what: `${label(r)} is a ${key.rsaBits ?? 0}-bit RSA key` });
        } else if (!["ECDSA", "RSA", "ED25519"].includes(key.algorithm)) {
          ctx.report({ what: `${label(r)} uses algorithm "${key.algorithm}", which the policy does not know to be strong` });
        }
      }
      const cert = propsOf(r, TLS_T.certificate);
      if (cert !== undefined) {
        const pk = record(cert.spec?.["privateKey"]);
        // cert-manager's defaults: RSA 2048; ECDSA 256.
        const algorithm = typeof pk?.["algorithm"] === "string" ? pk["algorithm"] : "RSA";
        const size = typeof pk?.["size"] === "number" ? pk["size"] : algorithm === "ECDSA" ? 256 : 2048;
        if ((algorithm === "ECDSA" && size < 256) || (algorithm === "RSA" && size < MIN_RSA_BITS)) {
          ctx.report({ what: `${label(r)} requests a ${size}-bit ${algorithm} key`, fix: "set spec.privateKey to { algorithm: ECDSA, size: 256 } or RSA with size 2048 or more" });
        }
      }
      const acm = propsOf(r, TLS_T.acmCertificate);
      if (acm?.keyAlgorithm !== undefined && !STRONG_ACM.includes(acm.keyAlgorithm)) {
        ctx.report({ what: `${label(r)} requests an ${acm.keyAlgorithm} key`, fix: `set keyAlgorithm to one of ${STRONG_ACM.join(", ")}` });
      }
    },
  },
});
