export * from "./evaluate";
export * from "./matrix";
export * from "./model";
export * from "./ports";
export * from "./selector";
export * from "./types";
export * from "./validate";
