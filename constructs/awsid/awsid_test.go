package awsid

import (
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
)

const field = "pkg: Config.Field"

func TestAccountID(t *testing.T) {
	assert.NoError(t, AccountID(field, "123456789012"))
	for _, value := range []string{"", "1234", "1234567890123", "12345678901a"} {
		assert.EqualError(t, AccountID(field, value), `pkg: Config.Field: "`+value+`" is not a 12-digit AWS account ID`)
	}
}

func TestRegion(t *testing.T) {
	for _, value := range []string{"us-west-2", "us-gov-west-1", "ap-southeast-4"} {
		assert.NoError(t, Region(field, value), value)
	}
	assert.EqualError(t, Region(field, ""), `pkg: Config.Field is missing; set an AWS region name such as "us-west-2"`)
	for _, value := range []string{"usw2", "us-west", "US-WEST-2", "us-west-2a"} {
		assert.ErrorContains(t, Region(field, value), `pkg: Config.Field: "`+value+`" is not an AWS region name`)
	}
}

func TestPartition(t *testing.T) {
	assert.NoError(t, Partition(field, "aws-us-gov", "aws", "aws-us-gov"))
	assert.EqualError(t, Partition(field, "aws-cn", "aws", "aws-us-gov"), `pkg: Config.Field: "aws-cn" is not supported; use "aws" or "aws-us-gov"`)
	assert.EqualError(t, Partition(field, "gcp", "aws", "aws-us-gov", "aws-cn"), `pkg: Config.Field: "gcp" is not supported; use "aws", "aws-us-gov" or "aws-cn"`)
	assert.EqualError(t, Partition(field, "", "aws"), `pkg: Config.Field: "" is not supported; use "aws"`)
}

func TestRoleARN(t *testing.T) {
	valid := []struct{ arn, partition string }{
		{"arn:aws:iam::123456789012:role/deploy", "aws"},
		{"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123", "aws"},
		{"arn:aws-us-gov:iam::123456789012:role/deploy", "aws-us-gov"},
		{"arn:aws-cn:iam::123456789012:role/deploy", ""},
	}
	for _, v := range valid {
		assert.NoError(t, RoleARN(field, v.arn, v.partition), v.arn)
	}

	invalid := []struct{ name, arn, partition, want string }{
		{"user", "arn:aws:iam::123456789012:user/alice", "aws", `"arn:aws:iam::123456789012:user/alice" is not an IAM role ARN; use the form "arn:aws:iam::<account>:role/<name>"`},
		{"wildcard", "arn:aws:iam::123456789012:role/*", "aws", "is not an IAM role ARN"},
		{"short account", "arn:aws:iam::1234:role/deploy", "aws", "is not an IAM role ARN"},
		{"name over 64", "arn:aws:iam::123456789012:role/" + strings.Repeat("a", 65), "aws", "is not an IAM role ARN"},
		{"other service", "arn:aws:sts::123456789012:assumed-role/deploy/session", "aws", "is not an IAM role ARN"},
		{"unknown partition", "arn:gcp:iam::123456789012:role/deploy", "", `use the form "arn:<partition>:iam::<account>:role/<name>"`},
		{"other partition", "arn:aws-us-gov:iam::123456789012:role/deploy", "aws", `"arn:aws-us-gov:iam::123456789012:role/deploy" is in partition "aws-us-gov", not "aws"`},
	}
	for _, c := range invalid {
		t.Run(c.name, func(t *testing.T) {
			err := RoleARN(field, c.arn, c.partition)
			assert.ErrorContains(t, err, "pkg: Config.Field: ")
			assert.ErrorContains(t, err, c.want)
		})
	}
}

func TestBucketName(t *testing.T) {
	assert.NoError(t, BucketName(field, "honeyhive-events-usw2"))

	cases := []struct{ name, value, want string }{
		{"empty", "", "pkg: Config.Field is missing; set a globally unique S3 bucket name"},
		{"dots", "honeyhive.events", `"honeyhive.events" contains dots`},
		{"upper case", "Invalid_Bucket", `"Invalid_Bucket" is invalid; use 3 to 63 lowercase letters`},
		{"too short", "ab", `"ab" is invalid`},
		{"too long", strings.Repeat("a", 64), "is invalid"},
		{"trailing hyphen", "events-", `"events-" is invalid`},
		{"reserved prefix", "xn--events", `starts with the reserved prefix "xn--"`},
		{"reserved suffix", "events-s3alias", `ends with the reserved suffix "-s3alias"`},
		{"directory bucket suffix", "events--x-s3", `ends with the reserved suffix "--x-s3"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.ErrorContains(t, BucketName(field, c.value), c.want)
		})
	}
}

func TestLogRetentionDays(t *testing.T) {
	for _, days := range []int{1, 365, 3653} {
		assert.NoError(t, LogRetentionDays(field, days), days)
	}
	assert.EqualError(t, LogRetentionDays(field, 0), "pkg: Config.Field is missing; set a retention period in days, such as 365")
	for _, days := range []int{-1, 2, 100, 3654} {
		assert.ErrorContains(t, LogRetentionDays(field, days), "days is not a retention period CloudWatch Logs accepts; use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653")
	}
}

func TestKMSKeyARN(t *testing.T) {
	for _, arn := range []string{
		"arn:aws:kms:us-west-2:123456789012:key/0b1c2d3e-0000-4000-8000-000000000001",
		"arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef",
	} {
		assert.NoError(t, KMSKeyARN(field, jsii.String(arn)), arn)
	}
	assert.NoError(t, KMSKeyARN(field, cdktf.Fn_Lower(jsii.String("ARN"))), "a token passes")

	assert.EqualError(t, KMSKeyARN(field, nil), "pkg: Config.Field is missing; pass the ARN of a customer-managed KMS key")
	assert.EqualError(t, KMSKeyARN(field, jsii.String("")), "pkg: Config.Field is missing; pass the ARN of a customer-managed KMS key")
	for _, value := range []string{
		"0b1c2d3e-0000-4000-8000-000000000001",
		"alias/logs",
		"arn:aws:kms:us-west-2:123456789012:alias/logs",
		"arn:aws:s3:::bucket",
	} {
		assert.ErrorContains(t, KMSKeyARN(field, jsii.String(value)), `"`+value+`" is not a KMS key ARN`)
	}
}

func TestMissing(t *testing.T) {
	assert.True(t, Missing(nil))
	assert.True(t, Missing(jsii.String("")))
	assert.False(t, Missing(jsii.String("vpc-0123456789abcdef0")))
}
