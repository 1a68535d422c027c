package operatoraccess

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/honeyhive/platform/constructs/awsid"
)

const (
	// minExternalIDLength and maxExternalIDLength bound the ExternalId
	// parameter of the STS AssumeRole API.
	minExternalIDLength = 2
	maxExternalIDLength = 1224

	// maxRolePathLength is the maximum length IAM allows for a role's path,
	// counting its leading and trailing "/" (IAM User Guide, "Methods to
	// assume a role").
	maxRolePathLength = 512

	// maxInlinePolicyLength is IAM's quota for the total length of a role's
	// inline policies, counted without whitespace.
	maxInlinePolicyLength = 10240

	// maxLogGroupNameLength is the maximum length of a CloudWatch Logs log
	// group name. A prefix must be shorter by at least one character.
	maxLogGroupNameLength = 512
)

var (
	// externalIDCharacter matches one character that STS accepts in an
	// external ID: letters, digits and _+=,.@:/-.
	externalIDCharacter = regexp.MustCompile(`^[\w+=,.@:/-]$`)

	// roleNamePattern is IAM's pattern for role names.
	roleNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)

	// clusterNamePattern is the pattern the EKS API documents for cluster
	// names.
	clusterNamePattern = regexp.MustCompile(`^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`)

	// logGroupPrefixPattern matches a prefix of at least two path segments
	// that starts and ends with "/" and uses only the characters CloudWatch
	// Logs allows in log group names. The trailing "/" keeps a prefix such as
	// "/honeyhive/acme/" from also matching "/honeyhive/acme-other/...".
	logGroupPrefixPattern = regexp.MustCompile(`^(/[A-Za-z0-9._#-]+){2,}/$`)

	// logGroupNameCharacters lists the characters allowed in log group names.
	logGroupNameCharacters = regexp.MustCompile(`^[A-Za-z0-9._#/-]*$`)
)

// validateExternalID checks value against the length and characters that
// STS accepts for an external ID. An empty ID is rejected because a trust
// without one would admit requests that HoneyHive makes for any customer.
func validateExternalID(field, value string) error {
	switch {
	case value == "":
		return fmt.Errorf("%s is missing; set the external ID the customer agreed to with HoneyHive", field)
	case len(value) < minExternalIDLength:
		return fmt.Errorf("%s: %q is too short; use %d to %d characters", field, value, minExternalIDLength, maxExternalIDLength)
	case len(value) > maxExternalIDLength:
		return fmt.Errorf("%s is %d characters long; use %d to %d characters", field, len(value), minExternalIDLength, maxExternalIDLength)
	}
	for _, r := range value {
		if !externalIDCharacter.MatchString(string(r)) {
			return fmt.Errorf("%s: %q contains %q, which STS does not accept in an external ID; use letters, digits and _+=,.@:/-", field, value, r)
		}
	}
	return nil
}

// validateRoleARN checks that value is an IAM role ARN in partition, or in
// any partition if partition is empty, with a path that IAM accepts.
// awsid.RoleARN does not bound the path. The bound keeps both trust policies
// within IAM's default limit of 2048 characters: with the partition
// "aws-us-gov", a 512-character path, a 64-character name and a
// 1224-character external ID, DeployRoleTrustPolicy's policy, the longer of
// the two, is 2041 characters.
func validateRoleARN(field, value, partition, purpose string) error {
	if value == "" {
		return fmt.Errorf("%s is missing; set the ARN of %s", field, purpose)
	}
	if err := awsid.RoleARN(field, value, partition); err != nil {
		return err
	}
	rest := value[strings.Index(value, ":role/")+len(":role"):]
	if pathLength := strings.LastIndex(rest, "/") + 1; pathLength > maxRolePathLength {
		return fmt.Errorf("%s: the role path is %d characters long, longer than the %d that IAM allows; check the ARN of %s", field, pathLength, maxRolePathLength, purpose)
	}
	return nil
}

// validateLogGroupPrefix checks value against logGroupPrefixPattern and
// reports the first rule it breaks.
func validateLogGroupPrefix(field, value string) error {
	switch {
	case !strings.HasPrefix(value, "/"):
		return fmt.Errorf("%s: %q does not start with \"/\"; use a prefix such as %q", field, value, "/aws/eks/acme-usw2/")
	case !strings.HasSuffix(value, "/"):
		return fmt.Errorf("%s: %q does not end with \"/\", so it would also match log groups of other names that start the same; add a trailing \"/\"", field, value)
	case len(value) >= maxLogGroupNameLength:
		return fmt.Errorf("%s is %d characters long; use at most %d", field, len(value), maxLogGroupNameLength-1)
	case !logGroupNameCharacters.MatchString(value):
		return fmt.Errorf("%s: %q contains characters that log group names cannot have, such as wildcards; use letters, digits and ._#/-", field, value)
	case strings.Contains(value, "//"):
		return fmt.Errorf("%s: %q has an empty path segment; remove the repeated \"/\"", field, value)
	case !logGroupPrefixPattern.MatchString(value):
		return fmt.Errorf("%s: %q is too broad because it covers the log groups of every service or deployment in the account; use at least two path segments, such as %q", field, value, "/aws/eks/acme-usw2/")
	}
	return nil
}
