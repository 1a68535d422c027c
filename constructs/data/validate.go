package data

import (
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/honeyhive/platform/constructs/awsid"
)

// DefaultPartition is the AWS partition of BucketConfig and DatabaseConfig
// when none is set.
const DefaultPartition = "aws"

// supportedPartitions are the partitions whose service endpoints end in
// amazonaws.com, which the kms:ViaService conditions rely on. The China
// partition uses amazonaws.com.cn and is not supported.
var supportedPartitions = []string{"aws", "aws-us-gov"}

// validateAccount checks the account, region and partition fields that both
// configs share. typ is the config type named in the messages.
func validateAccount(typ, accountID, region, partition string) []error {
	var errs []error
	if err := awsid.AccountID("data: "+typ+".AccountID", accountID); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Region("data: "+typ+".Region", region); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Partition("data: "+typ+".Partition", partition, supportedPartitions...); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// isToken reports whether s is a CDKTF token, such as another resource's
// attribute, whose value is known only when Terraform applies the plan.
func isToken(s *string) bool {
	return *cdktf.Token_IsUnresolved(s)
}
