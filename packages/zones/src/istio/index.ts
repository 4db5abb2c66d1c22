export * from "./evaluate";
export * from "./match";
export * from "./types";
export * from "./validate";
