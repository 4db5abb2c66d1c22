// Every AWSGuard policy, mandatory: the comparison counts what each one reports.
const { AwsGuard } = require("@pulumi/awsguard");

new AwsGuard({ all: "mandatory" });
