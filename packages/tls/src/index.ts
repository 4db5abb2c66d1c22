export * from "./defaults";
export * from "./validate";
export * from "./ca/plan";
export * from "./ca/internal-ca";
export * from "./ca/leaf-certificate";
export * from "./cert-manager/models";
export * from "./cert-manager/plan";
