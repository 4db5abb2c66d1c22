export * from "./cidr";
export * from "./model";
export * from "./plan";
export * from "./problems";
export * from "./validate";
