package awsid

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// LogRetentionValues lists the retention periods, in days, that the
// CloudWatch Logs PutRetentionPolicy API accepts. Zero, which means never
// expire, is left out because the constructs require their log groups to
// expire.
var LogRetentionValues = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

var (
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

	// regionPattern matches region names such as "us-west-2" and
	// "us-gov-west-1".
	regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

	// roleARNPattern matches an IAM role ARN with an optional path and
	// captures its partition. Role names and path segments allow letters,
	// digits and "+=,.@_-", so an ARN with a wildcard does not match.
	roleARNPattern = regexp.MustCompile(`^arn:(aws(?:-[a-z]+)*):iam::[0-9]{12}:role/([\w+=,.@-]+/)*[\w+=,.@-]{1,64}$`)

	// kmsKeyARNPattern matches the ARN of a KMS key, not of an alias.
	// Services resolve an alias in the caller's account at request time, so
	// only a key ARN names one key exactly.
	kmsKeyARNPattern = regexp.MustCompile(`^arn:aws(-[a-z]+)*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$`)

	// bucketNamePattern allows lowercase letters, digits and hyphens and
	// requires a letter or digit at both ends. S3 also allows dots, which
	// BucketName rejects separately.
	bucketNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)

	// reservedBucketPrefixes and reservedBucketSuffixes are reserved by S3 for
	// other bucket types and access point aliases.
	reservedBucketPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	reservedBucketSuffixes = []string{"-s3alias", "--ol-s3", "--x-s3", "--table-s3"}
)

// AccountID checks that value is a 12-digit AWS account ID.
func AccountID(field, value string) error {
	if !accountIDPattern.MatchString(value) {
		return fmt.Errorf("%s: %q is not a 12-digit AWS account ID", field, value)
	}
	return nil
}

// Region checks that value is set and has the form of an AWS region name.
func Region(field, value string) error {
	if value == "" {
		return fmt.Errorf("%s is missing; set an AWS region name such as %q", field, "us-west-2")
	}
	if !regionPattern.MatchString(value) {
		return fmt.Errorf("%s: %q is not an AWS region name; use one such as %q", field, value, "us-west-2")
	}
	return nil
}

// Partition checks that value is one of the allowed partitions, such as
// "aws" and "aws-us-gov". The message lists them in the order given.
func Partition(field, value string, allowed ...string) error {
	if slices.Contains(allowed, value) {
		return nil
	}
	return fmt.Errorf("%s: %q is not supported; use %s", field, value, quotedList(allowed))
}

// RoleARN checks that value is an IAM role ARN, optionally with a path, in
// partition. An empty partition accepts a role of any partition.
func RoleARN(field, value, partition string) error {
	match := roleARNPattern.FindStringSubmatch(value)
	shown := partition
	if shown == "" {
		shown = "<partition>"
	}
	switch {
	case match == nil:
		return fmt.Errorf("%s: %q is not an IAM role ARN; use the form %q", field, value, "arn:"+shown+":iam::<account>:role/<name>")
	case partition != "" && match[1] != partition:
		return fmt.Errorf("%s: %q is in partition %q, not %q; use a role of partition %q", field, value, match[1], partition, partition)
	}
	return nil
}

// BucketName checks an S3 bucket name: 3 to 63 lowercase letters, digits
// and hyphens, no dots and no prefix or suffix that S3 reserves. Dots are
// rejected although S3 allows them, because a dotted name does not match the
// wildcard TLS certificate of virtual-hosted-style endpoints.
func BucketName(field, value string) error {
	switch {
	case value == "":
		return fmt.Errorf("%s is missing; set a globally unique S3 bucket name", field)
	case strings.Contains(value, "."):
		return fmt.Errorf("%s: %q contains dots, which break TLS on virtual-hosted-style endpoints; use hyphens instead", field, value)
	case !bucketNamePattern.MatchString(value):
		return fmt.Errorf("%s: %q is invalid; use 3 to 63 lowercase letters, digits and hyphens, starting and ending with a letter or digit", field, value)
	}
	for _, prefix := range reservedBucketPrefixes {
		if strings.HasPrefix(value, prefix) {
			return fmt.Errorf("%s: %q starts with the reserved prefix %q; choose another name", field, value, prefix)
		}
	}
	for _, suffix := range reservedBucketSuffixes {
		if strings.HasSuffix(value, suffix) {
			return fmt.Errorf("%s: %q ends with the reserved suffix %q; choose another name", field, value, suffix)
		}
	}
	return nil
}

// LogRetentionDays checks that days is one of LogRetentionValues. Zero is
// reported as missing.
func LogRetentionDays(field string, days int) error {
	if days == 0 {
		return fmt.Errorf("%s is missing; set a retention period in days, such as 365", field)
	}
	if !slices.Contains(LogRetentionValues, days) {
		return fmt.Errorf("%s: %d days is not a retention period CloudWatch Logs accepts; use one of %s", field, days, joinInts(LogRetentionValues))
	}
	return nil
}

// KMSKeyARN rejects a missing key and a literal value that is not a KMS key
// ARN, such as a key ID or an alias. A token of another resource cannot be
// checked at synth time and passes.
func KMSKeyARN(field string, value *string) error {
	if Missing(value) {
		return fmt.Errorf("%s is missing; pass the ARN of a customer-managed KMS key", field)
	}
	if !*cdktf.Token_IsUnresolved(value) && !kmsKeyARNPattern.MatchString(*value) {
		return fmt.Errorf("%s: %q is not a KMS key ARN; pass the key's ARN, not its ID or an alias", field, *value)
	}
	return nil
}

// Missing reports whether value, which may be a token, is nil or empty.
func Missing(value *string) bool {
	return value == nil || *value == ""
}

// quotedList formats values as `"a"`, `"a" or "b"` or `"a", "b" or "c"`.
func quotedList(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = strconv.Quote(v)
	}
	if len(quoted) < 2 {
		return strings.Join(quoted, "")
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

func joinInts(values []int) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ", ")
}
