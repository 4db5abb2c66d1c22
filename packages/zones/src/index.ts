export * from "./cidr";
export * from "./model";
export * from "./plan";
export * from "./problems";
export * from "./validate";
export * as k8s from "./kubernetes";
export * as istio from "./istio";
export * from "./analysis";
