package data

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// DefaultPartition is the AWS partition of BucketConfig and DatabaseConfig
// when none is set.
const DefaultPartition = "aws"

var (
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
	regionPattern    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

	// kmsKeyARNPattern matches the ARN of a KMS key, not of an alias, and
	// captures its partition and region. Services resolve an alias in the
	// caller's account at request time, so a key ARN names the key exactly.
	kmsKeyARNPattern = regexp.MustCompile(`^arn:([a-z-]+):kms:([a-z0-9-]+):[0-9]{12}:key/[A-Za-z0-9-]+$`)

	// cloudWatchRetentionDays lists the retention periods, in days, that the
	// CloudWatch Logs PutRetentionPolicy API accepts. Zero, which means never
	// expire, is left out because database logs must expire.
	cloudWatchRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)

// supportedPartitions are the partitions whose service endpoints end in
// amazonaws.com, which the kms:ViaService conditions rely on. The China
// partition uses amazonaws.com.cn and is not supported.
var supportedPartitions = []string{"aws", "aws-us-gov"}

// validateAccount checks the account, region and partition fields that both
// configs share. typ is the config type named in the messages.
func validateAccount(typ, accountID, region, partition string) []error {
	var errs []error
	if !accountIDPattern.MatchString(accountID) {
		errs = append(errs, fmt.Errorf("data: %s.AccountID: %q is invalid; use the 12-digit account ID", typ, accountID))
	}
	if err := validateRegion(typ+".Region", region); err != nil {
		errs = append(errs, err)
	}
	if !slices.Contains(supportedPartitions, partition) {
		errs = append(errs, fmt.Errorf("data: %s.Partition: %q is not supported; use %q or %q", typ, partition, supportedPartitions[0], supportedPartitions[1]))
	}
	return errs
}

func validateRegion(field, region string) error {
	if region == "" {
		return fmt.Errorf("data: %s is missing; set a region code such as \"us-west-2\"", field)
	}
	if !regionPattern.MatchString(region) {
		return fmt.Errorf("data: %s: %q is invalid; use a region code such as \"us-west-2\"", field, region)
	}
	return nil
}

// validateKMSKeyARN rejects a missing key and a literal value that is not a
// key ARN, such as a key ID or an alias. A token of another resource cannot
// be checked at synth time and passes.
func validateKMSKeyARN(field string, arn *string) error {
	if isMissing(arn) {
		return fmt.Errorf("data: %s is missing; pass the ARN of a customer-managed KMS key", field)
	}
	if !isToken(arn) && !kmsKeyARNPattern.MatchString(*arn) {
		return fmt.Errorf("data: %s: %q is not a KMS key ARN; pass the key's ARN, not its ID or an alias", field, *arn)
	}
	return nil
}

// validateRetention checks a CloudWatch Logs retention period in days.
func validateRetention(field string, days int) error {
	if days == 0 {
		return fmt.Errorf("data: %s is missing; set a retention period in days, such as 365", field)
	}
	if !slices.Contains(cloudWatchRetentionDays, days) {
		return fmt.Errorf("data: %s: %d days is not a retention period CloudWatch Logs accepts; use one of %s",
			field, days, joinInts(cloudWatchRetentionDays))
	}
	return nil
}

func isMissing(s *string) bool {
	return s == nil || *s == ""
}

// isToken reports whether s is a CDKTF token, such as another resource's
// attribute, whose value is known only when Terraform applies the plan.
func isToken(s *string) bool {
	return *cdktf.Token_IsUnresolved(s)
}

func joinInts(values []int) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ", ")
}
