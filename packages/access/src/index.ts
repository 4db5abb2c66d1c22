export * from "./cloud-init";
export * from "./defaults";
export * from "./host-files";
export * from "./nftables";
export * from "./ssh-keys";
export * from "./users";
export * from "./wireguard";
export * from "./wireguard-keys";
