package audit

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudtrail"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmsalias"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlogging"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/policy"
)

// Defaults for TrailConfig.
const (
	DefaultPartition     = "aws"
	DefaultRetentionDays = 2557 // 7 years of 365 days plus two leap days
)

const (
	// minRetentionDays is one year, the shortest retention of audit logs
	// that Validate accepts.
	minRetentionDays = 365

	// noncurrentVersionDays is how long a deleted, expired or overwritten
	// log object stays recoverable as a noncurrent version.
	noncurrentVersionDays = 90

	// keyDeletionWindowDays is the longest window KMS allows, so that a
	// scheduled deletion of the key that makes every log file unreadable can
	// be cancelled for as long as possible.
	keyDeletionWindowDays = 30

	// accountIDLength is the length of the account ID suffix of the bucket
	// names.
	accountIDLength = 12

	// maxNameLength keeps the longest derived name, the access log bucket
	// "<Name>-cloudtrail-access-logs-<account>", within the 63 characters
	// that S3 allows.
	maxNameLength = 63 - len("-cloudtrail-access-logs-") - accountIDLength
)

// namePattern allows lowercase letters, digits and single hyphens, starting
// with a letter and ending with a letter or digit, so that every derived
// trail, alias and bucket name is valid.
var namePattern = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)

// supportedPartitions use the service principal cloudtrail.amazonaws.com,
// which the key and bucket policies name. The China partition does not.
var supportedPartitions = []string{"aws", "aws-us-gov"}

// TrailConfig configures NewTrail.
type TrailConfig struct {
	// Name is the prefix of the trail, key alias and bucket names, such as
	// "prod". The trail is "<Name>-cloudtrail", its bucket
	// "<Name>-cloudtrail-<AccountID>" and the access log bucket
	// "<Name>-cloudtrail-access-logs-<AccountID>". Required.
	Name string

	// AccountID is the 12-digit ID of the account that owns the trail.
	// Required.
	AccountID string

	// Region is the trail's home region, where the key and buckets live. It
	// must be the region of the stack's default AWS provider, because the
	// trail ARN in the key and bucket policies is built from it. Required.
	Region string

	// Partition is the AWS partition. Default: DefaultPartition.
	Partition string

	// KMSKeyAdminRoleARNs are the IAM roles that administer the trail key,
	// such as the deploy role. They get no use of the key, but they can
	// change its policy. The roles must exist when the key is created,
	// because KMS rejects a key policy that names an unknown principal.
	// Required, at least one.
	KMSKeyAdminRoleARNs []string

	// RetentionDays is the age, in days, at which log files and access logs
	// expire. An expired object stays recoverable as a noncurrent version for
	// 90 more days. At least 365. Default: DefaultRetentionDays.
	RetentionDays int
}

// Trail is a multi-region CloudTrail trail with its key and buckets.
type Trail struct {
	constructs.Construct

	// TrailARN is the trail's ARN, a token.
	TrailARN *string
	// TrailName is the trail's name, "<Name>-cloudtrail".
	TrailName string
	// BucketName is the name of the bucket that receives the log files.
	BucketName string
	// AccessLogBucketName is the name of the bucket that receives the S3
	// server access logs of the trail bucket.
	AccessLogBucketName string
	// KeyARN is the ARN of the key that encrypts the log files, a token.
	KeyARN *string
}

func (c TrailConfig) withDefaults() TrailConfig {
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	if c.RetentionDays == 0 {
		c.RetentionDays = DefaultRetentionDays
	}
	return c
}

// Validate returns every problem with the configuration, joined, or nil.
// NewTrail applies defaults first, so call it on a config with defaults
// when zero values should count as unset.
func (c TrailConfig) Validate() error {
	var errs []error
	switch {
	case c.Name == "":
		errs = append(errs, errors.New(`audit: TrailConfig.Name is missing; set a short prefix such as "prod"`))
	case !namePattern.MatchString(c.Name) || strings.Contains(c.Name, "--"):
		errs = append(errs, fmt.Errorf("audit: TrailConfig.Name: %q is invalid; use lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit", c.Name))
	case len(c.Name) > maxNameLength:
		errs = append(errs, fmt.Errorf("audit: TrailConfig.Name: %q is too long; use at most %d characters so that the bucket names fit in 63", c.Name, maxNameLength))
	}

	if err := awsid.AccountID("audit: TrailConfig.AccountID", c.AccountID); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Region("audit: TrailConfig.Region", c.Region); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Partition("audit: TrailConfig.Partition", c.Partition, supportedPartitions...); err != nil {
		errs = append(errs, err)
	}

	if len(c.KMSKeyAdminRoleARNs) == 0 {
		errs = append(errs, errors.New("audit: TrailConfig.KMSKeyAdminRoleARNs is empty; list at least one IAM role that may administer the trail key, such as the deploy role"))
	}
	for i, arn := range c.KMSKeyAdminRoleARNs {
		if err := awsid.RoleARN(fmt.Sprintf("audit: TrailConfig.KMSKeyAdminRoleARNs[%d]", i), arn, c.Partition); err != nil {
			errs = append(errs, err)
		}
	}

	if c.RetentionDays < minRetentionDays {
		errs = append(errs, fmt.Errorf("audit: TrailConfig.RetentionDays: %d is too short; keep audit logs for at least %d days", c.RetentionDays, minRetentionDays))
	}
	return errors.Join(errs...)
}

// names are the resource names derived from a valid config.
type names struct {
	trail, trailARN, alias, bucket, accessLogBucket string
}

func (c TrailConfig) names() names {
	trail := c.Name + "-cloudtrail"
	return names{
		trail:           trail,
		trailARN:        fmt.Sprintf("arn:%s:cloudtrail:%s:%s:trail/%s", c.Partition, c.Region, c.AccountID, trail),
		alias:           "alias/" + trail,
		bucket:          fmt.Sprintf("%s-%s", trail, c.AccountID),
		accessLogBucket: fmt.Sprintf("%s-cloudtrail-access-logs-%s", c.Name, c.AccountID),
	}
}

// NewTrail creates a multi-region CloudTrail trail that also records global
// service events and writes digest files for log file validation. The log
// files go to a versioned bucket encrypted with a dedicated KMS key, and
// the S3 server access logs of that bucket go to a second bucket. Both
// buckets are private, owner-enforced, TLS-only and expire objects after
// cfg.RetentionDays. The key and both buckets are protected by
// prevent_destroy. NewTrail panics if cfg is invalid after defaults are
// applied.
func NewTrail(scope constructs.Construct, id string, cfg TrailConfig) *Trail {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	n := cfg.names()
	partition := cfg.Partition

	construct := constructs.NewConstruct(scope, jsii.String(id))
	preventDestroy := &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)}

	key := kmskey.NewKmsKey(construct, jsii.String("key"), &kmskey.KmsKeyConfig{
		Description:          jsii.String(fmt.Sprintf("CloudTrail log files of trail %s", n.trail)),
		EnableKeyRotation:    jsii.Bool(true),
		DeletionWindowInDays: jsii.Number(keyDeletionWindowDays),
		Policy:               jsii.String(keyPolicy(cfg, n.trailARN).JSON()),
		Tags:                 &map[string]*string{"Name": jsii.String(n.trail)},
		Lifecycle:            preventDestroy,
	})
	kmsalias.NewKmsAlias(construct, jsii.String("key_alias"), &kmsalias.KmsAliasConfig{
		Name:        jsii.String(n.alias),
		TargetKeyId: key.KeyId(),
	})

	// The S3 User Guide supports default encryption of a server access log
	// target bucket only with SSE-S3, not SSE-KMS, so the access log bucket
	// cannot use the trail key.
	accessLogs := newBucket(construct, "access_log_bucket", bucketConfig{
		name: n.accessLogBucket,
		encryption: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
			SseAlgorithm: jsii.String("AES256"),
		},
		policy:        accessLogBucketPolicy(partition, n.accessLogBucket, n.bucket, cfg.AccountID),
		retentionDays: cfg.RetentionDays,
	})
	policy.Suppress(accessLogs.bucket, "HH-S3-001",
		"S3 delivers server access logs only to a bucket whose default encryption is SSE-S3, not SSE-KMS")

	// The S3 Bucket Key stays off. The CloudTrail User Guide states that a
	// bucket key also requires kms:Decrypt for the principal that creates or
	// updates the trail, which the key policy does not grant. A trail writes
	// few objects, so the per-object KMS requests cost little.
	logs := newBucket(construct, "bucket", bucketConfig{
		name: n.bucket,
		encryption: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
			SseAlgorithm:   jsii.String("aws:kms"),
			KmsMasterKeyId: key.Arn(),
		},
		policy:        trailBucketPolicy(partition, n.bucket, cfg.AccountID, n.trailARN),
		retentionDays: cfg.RetentionDays,
	})

	// Logging waits for the access log bucket's policy, which lets S3 deliver
	// the logs.
	s3bucketlogging.NewS3BucketLoggingA(construct, jsii.String("bucket_logging"), &s3bucketlogging.S3BucketLoggingAConfig{
		Bucket:       logs.bucket.Id(),
		TargetBucket: accessLogs.bucket.Id(),
		TargetPrefix: jsii.String(accessLogPrefix(n.bucket)),
		DependsOn:    &[]cdktf.ITerraformDependable{accessLogs.policy},
	})

	// CloudTrail checks the bucket policy when the trail is created, so the
	// trail waits for it.
	trail := cloudtrail.NewCloudtrail(construct, jsii.String("trail"), &cloudtrail.CloudtrailConfig{
		Name:                       jsii.String(n.trail),
		S3BucketName:               logs.bucket.Id(),
		KmsKeyId:                   key.Arn(),
		IsMultiRegionTrail:         jsii.Bool(true),
		IncludeGlobalServiceEvents: jsii.Bool(true),
		EnableLogFileValidation:    jsii.Bool(true),
		EnableLogging:              jsii.Bool(true),
		Tags:                       &map[string]*string{"Name": jsii.String(n.trail)},
		DependsOn:                  &[]cdktf.ITerraformDependable{logs.policy},
	})

	return &Trail{
		Construct:           construct,
		TrailARN:            trail.Arn(),
		TrailName:           n.trail,
		BucketName:          n.bucket,
		AccessLogBucketName: n.accessLogBucket,
		KeyARN:              key.Arn(),
	}
}

// accessLogPrefix is the key prefix of the trail bucket's access logs in
// the access log bucket.
func accessLogPrefix(sourceBucket string) string {
	return sourceBucket + "/"
}
