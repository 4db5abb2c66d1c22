export * from "./reader";
export * from "./settings";
