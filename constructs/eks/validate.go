package eks

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// supportedPartitions are the partitions whose service principals end in
// amazonaws.com, which the trust policies here rely on.
var supportedPartitions = map[string]bool{"aws": true, "aws-us-gov": true}

var (
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
	regionPattern    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

	// eksNamePattern is the pattern the EKS API documents for cluster and
	// node group names.
	eksNamePattern = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]*$`)

	// roleARNPattern matches an IAM role ARN with an optional path. The
	// partition is checked separately against the configured one.
	roleARNPattern = regexp.MustCompile(`^arn:([a-z-]+):iam::[0-9]{12}:role/([\w+=,.@-]+/)*[\w+=,.@-]{1,64}$`)
)

// cloudWatchRetentionDays lists the retention periods, in days, that the
// CloudWatch Logs PutRetentionPolicy API accepts. Zero (never expire) is left
// out because control-plane logs must expire.
var cloudWatchRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// isMissing reports whether a string that may be a token is unset.
func isMissing(s *string) bool {
	return s == nil || *s == ""
}

// isLiteral reports whether s is a plain value known at synth time rather
// than a token of another resource.
func isLiteral(s *string) bool {
	return s != nil && !*cdktf.Token_IsUnresolved(s)
}

// validateKeyARN rejects a missing key and a literal value that is not a key
// ARN. Tokens of other resources cannot be checked at synth time and pass.
func validateKeyARN(field string, arn *string) error {
	if isMissing(arn) {
		return fmt.Errorf("eks: %s is missing; pass the ARN of a customer-managed KMS key", field)
	}
	if isLiteral(arn) && !strings.HasPrefix(*arn, "arn:") {
		return fmt.Errorf("eks: %s: %q is not a key ARN; pass the key's ARN, not its ID or alias", field, *arn)
	}
	return nil
}

// validateRoleARN checks that arn is an IAM role ARN in partition.
func validateRoleARN(field, arn, partition string) error {
	m := roleARNPattern.FindStringSubmatch(arn)
	if m == nil {
		return fmt.Errorf("eks: %s: %q is not an IAM role ARN; use \"arn:%s:iam::<account>:role/<name>\"", field, arn, partition)
	}
	if m[1] != partition {
		return fmt.Errorf("eks: %s: %q is in partition %q, but the cluster is in %q; use a role of the cluster's partition", field, arn, m[1], partition)
	}
	return nil
}

// validateIDs checks a list of resource IDs that may be tokens: none may be
// missing, and literal values must start with prefix, such as "subnet-".
// kind names the resource in messages.
func validateIDs(field string, ids []*string, prefix, kind string) []error {
	var errs []error
	for i, id := range ids {
		switch {
		case isMissing(id):
			errs = append(errs, fmt.Errorf("eks: %s[%d] is missing; pass a %s ID or a token of one", field, i, kind))
		case isLiteral(id) && !strings.HasPrefix(*id, prefix):
			errs = append(errs, fmt.Errorf("eks: %s[%d]: %q is not a %s ID; pass an ID that starts with %q", field, i, *id, kind, prefix))
		}
	}
	return errs
}

func joinInts(values []int) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ", ")
}
