/**
 * The TLS policy of the architecture, named once. Components, the standalone renderer and
 * the policies all read these constants, so the edge speaks the same protocol everywhere.
 */

/** The only protocol versions the edge accepts. TLS 1.0 and 1.1 were deprecated by RFC 8996. */
export const TLS_PROTOCOLS = ["TLSv1.2", "TLSv1.3"] as const;

/**
 * TLS 1.2 cipher suites: ECDHE key exchange with AES-GCM only (forward secrecy, AEAD).
 * TLS 1.3 suites are not configurable through this list and are all AEAD.
 */
export const TLS_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
] as const;

/** HSTS lifetime: two years, the value browsers' preload lists expect. */
export const HSTS_MAX_AGE_SECONDS = 63072000;

/** The HSTS header value the edge sends. */
export const HSTS_HEADER_VALUE = `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`;

/**
 * Response headers every HTTPS response carries. X-XSS-Protection is left out on purpose:
 * browsers removed the filter it controlled and the header can introduce leaks.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

/** The path ACME http-01 challenges are served under; never redirected to HTTPS. */
export const ACME_CHALLENGE_PATH = "/.well-known/acme-challenge/";

/** Let's Encrypt directory URLs. */
export const LETSENCRYPT_PRODUCTION_URL = "https://acme-v02.api.letsencrypt.org/directory";
export const LETSENCRYPT_STAGING_URL = "https://acme-staging-v02.api.letsencrypt.org/directory";

/** Names of the cluster issuers this package creates. */
export const LETSENCRYPT_PRODUCTION_ISSUER = "letsencrypt-prod";
export const LETSENCRYPT_STAGING_ISSUER = "letsencrypt-staging";
export const INTERNAL_CA_ISSUER = "internal-ca";

/** The cluster issuers a Certificate may name (the approved-issuer policy reads this). */
export const APPROVED_CLUSTER_ISSUERS: readonly string[] = [
  LETSENCRYPT_PRODUCTION_ISSUER,
  LETSENCRYPT_STAGING_ISSUER,
  INTERNAL_CA_ISSUER,
];

/** The ingress class of the ingress-nginx controller. */
export const INGRESS_CLASS_NAME = "nginx";

/** The seed's rate limits, per client address. */
export const RATE_LIMITS = {
  api: { requestsPerMinute: 100, burst: 20 },
  agents: { requestsPerMinute: 200, burst: 50 },
} as const;

/** Status code for requests beyond a rate limit (nginx answers 503 unless told). */
export const RATE_LIMIT_STATUS = 429;

/** Proxy timeouts in seconds: the coordination agent (MCA) runs long operations. */
export const PROXY_TIMEOUT_SECONDS = 60;
export const COORDINATION_TIMEOUT_SECONDS = 90;

/** The CORS policy of the API host: only the app origin, these methods and headers. */
export const CORS_METHODS = ["GET", "POST", "PUT", "DELETE", "OPTIONS"] as const;
export const CORS_HEADERS = ["Authorization", "Content-Type"] as const;
export const CORS_MAX_AGE_SECONDS = 86400;

/** The paths of the agents host and the agent each reaches. */
export const AGENT_PATHS = {
  mca: "/api/v1/agents/mca/",
  npa: "/api/v1/agents/npa/",
  wpa: "/api/v1/agents/wpa/",
} as const;

/** The path prefix of the API host. */
export const API_PATH = "/api/v1/";

/** cert-manager certificate lifetime and renewal window (Let's Encrypt issues for 90 days). */
export const CERTIFICATE_DURATION = "2160h";
export const CERTIFICATE_RENEW_BEFORE = "720h";
