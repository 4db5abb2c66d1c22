/**
 * Answers for the invokes our components make, keyed by token. An invoke with no entry
 * here fails the test that made it.
 */
export type InvokeHandler = (inputs: Record<string, unknown>) => Record<string, unknown>;

export const invokeHandlers: Record<string, InvokeHandler> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
    names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    zoneIds: ["euw1-az1", "euw1-az2", "euw1-az3"],
    state: "available",
  }),
  // Like EC2: answers with the one image whose name and owner match the filters, and
  // fails as AWS does ("Your query returned no results") when none does.
  "aws:ec2/getAmi:getAmi": (inputs) => {
    const image = { id: "ami-0a1b2c3d4e5f67890", name: "al2023-ami-2023.6.20250107.0-kernel-6.1-x86_64", ownerId: "137112412989", architecture: "x86_64" };
    const owners = Array.isArray(inputs["owners"]) ? inputs["owners"] : [];
    const filters = Array.isArray(inputs["filters"]) ? (inputs["filters"] as { name?: unknown; values?: unknown }[]) : [];
    const glob = (pattern: string): RegExp => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    const nameFilters = filters.filter((f) => f.name === "name");
    const nameOk = nameFilters.length > 0 && nameFilters.every((f) => Array.isArray(f.values) && f.values.some((v) => typeof v === "string" && glob(v).test(image.name)));
    if (!owners.includes("amazon") || !nameOk) {
      throw new Error("Your query returned no results. Please change your search criteria and try again.");
    }
    return image;
  },
};
