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
};
