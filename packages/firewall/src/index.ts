export * from "./aws";
export * from "./azure";
