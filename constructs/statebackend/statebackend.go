package statebackend

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dynamodbtable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketownershipcontrols"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpublicaccessblock"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/constructs/kms"
)

// Defaults for Config.
const (
	DefaultPartition             = "aws"
	DefaultNoncurrentVersionDays = 90
)

// abortMultipartUploadDays is how long an unfinished multipart upload may sit
// in the bucket. State files are small, so an upload still open after a week
// is taken as abandoned.
const abortMultipartUploadDays = 7

// lockTableHashKey is the partition key name that the Terraform S3 backend
// writes lock items with.
const lockTableHashKey = "LockID"

var (
	lockTableNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,255}$`)
)

// Config configures the state backend of one region.
type Config struct {
	// BucketName is the state bucket's name: 3 to 63 lowercase letters,
	// digits and hyphens. Required.
	BucketName string
	// LockTableName is the DynamoDB table for state locks. Required.
	LockTableName string
	// AccountID is the 12-digit ID of the account that owns the backend.
	// Required.
	AccountID string
	// Region is the backend's region. It must be the region of Provider, or
	// of the stack's default provider when Provider is nil. Required.
	Region string
	// Partition is the AWS partition. Default: "aws".
	Partition string
	// AccessRoleARNs are the IAM roles of this account that read and write
	// state, such as the role the Terraform S3 backend assumes. The bucket
	// policy denies every S3 action on the bucket and its objects to any
	// principal that is not one of these roles or of AdminRoleARNs, whatever
	// its IAM policies allow. The account root user can still replace the
	// bucket policy. Each ARN must name the role exactly, including its path.
	// Required, at least one.
	AccessRoleARNs []string
	// AdminRoleARNs are the IAM roles that manage the backend: they
	// administer the state key and may also use the bucket. They get no use
	// of the key directly, but they can change its key policy, so they must
	// be trusted like AccessRoleARNs. Required, at least one.
	AdminRoleARNs []string
	// KeyAlias is the state key's alias name without the "alias/" prefix.
	// Default: BucketName, which is unique and a valid alias name.
	KeyAlias string
	// NoncurrentVersionDays is how many days a replaced or deleted state
	// version is kept before it expires. Default: 90.
	NoncurrentVersionDays int
	// Provider is the AWS provider for every resource, for a backend in
	// another region than the stack's default provider. Default: nil, which
	// uses the stack's default AWS provider.
	Provider cdktf.TerraformProvider
}

// StateBackend is the state bucket, lock table and state key of one region.
type StateBackend struct {
	constructs.Construct

	// Key encrypts the bucket and the lock table.
	Key *kms.Key
	// BucketName is the state bucket's name.
	BucketName string
	// BucketARN is the state bucket's ARN, known at synth time so that
	// policies built with encoding/json can name it.
	BucketARN *string
	// LockTableName is the lock table's name.
	LockTableName string
	// LockTableARN is the lock table's ARN, known at synth time.
	LockTableARN *string
}

func (c Config) withDefaults() Config {
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	if c.KeyAlias == "" {
		c.KeyAlias = c.BucketName
	}
	if c.NoncurrentVersionDays == 0 {
		c.NoncurrentVersionDays = DefaultNoncurrentVersionDays
	}
	return c
}

// Validate returns every problem with the configuration, or nil. Problems
// with the fields passed to the state key are reported by package kms and
// prefixed with "statebackend: state key:".
func (c Config) Validate() error {
	var errs []error
	// Dots are rejected although S3 allows them, because the bucket accepts
	// TLS requests only and a dotted name breaks virtual-hosted-style TLS.
	if err := awsid.BucketName("statebackend: Config.BucketName", c.BucketName); err != nil {
		errs = append(errs, err)
	}
	if c.LockTableName == "" {
		errs = append(errs, errors.New("statebackend: Config.LockTableName is missing; set the DynamoDB table name for state locks"))
	} else if !lockTableNamePattern.MatchString(c.LockTableName) {
		errs = append(errs, fmt.Errorf("statebackend: Config.LockTableName: %q is invalid; use 3 to 255 letters, digits, \"_\", \"-\" and \".\"", c.LockTableName))
	}
	errs = append(errs, c.validateAccessRoles()...)
	if c.NoncurrentVersionDays < 1 {
		errs = append(errs, fmt.Errorf("statebackend: Config.NoncurrentVersionDays: %d is invalid; keep old state versions for at least 1 day", c.NoncurrentVersionDays))
	}

	for _, err := range splitJoined(c.keyConfig().Validate()) {
		errs = append(errs, fmt.Errorf("statebackend: state key: %w", err))
	}
	return errors.Join(errs...)
}

// validateAccessRoles checks that AccessRoleARNs lists at least one role
// and that each is an exact IAM role ARN of the backend's account. A role of
// another account could never reach the state, because no policy here
// allows cross-account access.
func (c Config) validateAccessRoles() []error {
	if len(c.AccessRoleARNs) == 0 {
		return []error{errors.New("statebackend: Config.AccessRoleARNs is empty; list the IAM roles that read and write state, such as the role the Terraform S3 backend assumes")}
	}
	var errs []error
	for i, arn := range c.AccessRoleARNs {
		field := fmt.Sprintf("statebackend: Config.AccessRoleARNs[%d]", i)
		if err := awsid.RoleARN(field, arn, c.Partition); err != nil {
			errs = append(errs, err)
			continue
		}
		// A valid role ARN has the form arn:<partition>:iam::<account>:role/<name>.
		account := strings.Split(arn, ":")[4]
		// The key's validation reports an invalid AccountID, so only a valid
		// one is compared.
		if account != c.AccountID && awsid.AccountID("", c.AccountID) == nil {
			errs = append(errs, fmt.Errorf("%s: %q is in account %s, not %s; use a role of the account that owns the backend", field, arn, account, c.AccountID))
		}
	}
	return errs
}

// stateRoleARNs returns AccessRoleARNs and AdminRoleARNs, sorted and without
// repeats: the only principals the bucket policy lets reach the state.
func (c Config) stateRoleARNs() []string {
	roles := slices.Concat(c.AccessRoleARNs, c.AdminRoleARNs)
	slices.Sort(roles)
	return slices.Compact(roles)
}

// splitJoined returns the errors that errors.Join combined into err, or err
// alone.
func splitJoined(err error) []error {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		return joined.Unwrap()
	}
	return []error{err}
}

func (c Config) keyConfig() kms.KeyConfig {
	return kms.KeyConfig{
		Alias:         c.KeyAlias,
		Description:   fmt.Sprintf("Terraform state in S3 bucket %s and DynamoDB table %s", c.BucketName, c.LockTableName),
		Purpose:       kms.PurposeState,
		AccountID:     c.AccountID,
		Region:        c.Region,
		Partition:     c.Partition,
		AdminRoleARNs: c.AdminRoleARNs,
		// Set here because kms fills its defaults only inside NewKey, and
		// Validate checks this config before that.
		DeletionWindowDays: kms.DefaultDeletionWindowDays,
		Provider:           c.Provider,
	}
}

// New creates the Terraform state backend of one region: a state key, a
// versioned bucket encrypted with it, and a lock table encrypted with it.
// The bucket is private and owner-enforced, and only the access and admin
// roles reach it, over TLS only. The key, bucket and table are protected by
// prevent_destroy, and the table also by DynamoDB deletion protection,
// because losing state orphans every resource it tracks. New panics if cfg
// is invalid.
func New(scope constructs.Construct, id string, cfg Config) *StateBackend {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	bucketARN := fmt.Sprintf("arn:%s:s3:::%s", cfg.Partition, cfg.BucketName)
	bucketPolicyJSON, err := bucketPolicy(bucketARN, cfg.stateRoleARNs())
	if err != nil {
		panic(fmt.Errorf("statebackend: building the bucket policy for %q: %w", cfg.BucketName, err))
	}

	construct := constructs.NewConstruct(scope, jsii.String(id))
	key := kms.NewKey(construct, "key", cfg.keyConfig())
	preventDestroy := &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)}

	bucket := s3bucket.NewS3Bucket(construct, jsii.String("bucket"), &s3bucket.S3BucketConfig{
		Bucket:       jsii.String(cfg.BucketName),
		ForceDestroy: jsii.Bool(false),
		Tags:         &map[string]*string{"Name": jsii.String(cfg.BucketName)},
		Provider:     cfg.Provider,
		Lifecycle:    preventDestroy,
	})

	versioning := s3bucketversioning.NewS3BucketVersioningA(construct, jsii.String("bucket_versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
		Bucket: bucket.Id(),
		VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{
			Status: jsii.String("Enabled"),
		},
		Provider: cfg.Provider,
	})

	s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(construct, jsii.String("bucket_encryption"), &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
		Bucket: bucket.Id(),
		Rule: []*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{{
			ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
				SseAlgorithm:   jsii.String("aws:kms"),
				KmsMasterKeyId: key.ARN,
			},
			// A bucket key cuts KMS requests, and so cost and throttling, by
			// reusing a data key across objects for a limited time.
			BucketKeyEnabled: jsii.Bool(true),
		}},
		Provider: cfg.Provider,
	})

	publicAccessBlock := s3bucketpublicaccessblock.NewS3BucketPublicAccessBlock(construct, jsii.String("bucket_public_access_block"), &s3bucketpublicaccessblock.S3BucketPublicAccessBlockConfig{
		Bucket:                bucket.Id(),
		BlockPublicAcls:       jsii.Bool(true),
		BlockPublicPolicy:     jsii.Bool(true),
		IgnorePublicAcls:      jsii.Bool(true),
		RestrictPublicBuckets: jsii.Bool(true),
		Provider:              cfg.Provider,
	})

	s3bucketownershipcontrols.NewS3BucketOwnershipControls(construct, jsii.String("bucket_ownership_controls"), &s3bucketownershipcontrols.S3BucketOwnershipControlsConfig{
		Bucket: bucket.Id(),
		Rule: &s3bucketownershipcontrols.S3BucketOwnershipControlsRule{
			ObjectOwnership: jsii.String("BucketOwnerEnforced"),
		},
		Provider: cfg.Provider,
	})

	// S3 can fail concurrent changes to a bucket's policy and public access
	// block with OperationAborted, so the policy waits for the block.
	s3bucketpolicy.NewS3BucketPolicy(construct, jsii.String("bucket_policy"), &s3bucketpolicy.S3BucketPolicyConfig{
		Bucket:    bucket.Id(),
		Policy:    jsii.String(bucketPolicyJSON),
		Provider:  cfg.Provider,
		DependsOn: &[]cdktf.ITerraformDependable{publicAccessBlock},
	})

	newLifecycle(construct, bucket, versioning, cfg)

	dynamodbtable.NewDynamodbTable(construct, jsii.String("lock_table"), &dynamodbtable.DynamodbTableConfig{
		Name:        jsii.String(cfg.LockTableName),
		BillingMode: jsii.String("PAY_PER_REQUEST"),
		HashKey:     jsii.String(lockTableHashKey),
		Attribute: []*dynamodbtable.DynamodbTableAttribute{{
			Name: jsii.String(lockTableHashKey),
			Type: jsii.String("S"),
		}},
		ServerSideEncryption: &dynamodbtable.DynamodbTableServerSideEncryption{
			Enabled:   jsii.Bool(true),
			KmsKeyArn: key.ARN,
		},
		PointInTimeRecovery: &dynamodbtable.DynamodbTablePointInTimeRecovery{
			Enabled: jsii.Bool(true),
		},
		DeletionProtectionEnabled: jsii.Bool(true),
		Tags:                      &map[string]*string{"Name": jsii.String(cfg.LockTableName)},
		Provider:                  cfg.Provider,
		Lifecycle:                 preventDestroy,
	})

	return &StateBackend{
		Construct:     construct,
		Key:           key,
		BucketName:    cfg.BucketName,
		BucketARN:     jsii.String(bucketARN),
		LockTableName: cfg.LockTableName,
		LockTableARN:  jsii.String(fmt.Sprintf("arn:%s:dynamodb:%s:%s:table/%s", cfg.Partition, cfg.Region, cfg.AccountID, cfg.LockTableName)),
	}
}

// newLifecycle expires old state versions and abandoned multipart uploads.
// It waits for versioning so that the noncurrent-version rule never applies
// to a bucket without versioning.
func newLifecycle(scope constructs.Construct, bucket s3bucket.S3Bucket, versioning s3bucketversioning.S3BucketVersioningA, cfg Config) {
	wholeBucket := []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleFilter{{}}

	s3bucketlifecycleconfiguration.NewS3BucketLifecycleConfiguration(scope, jsii.String("bucket_lifecycle"), &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationConfig{
		Bucket: bucket.Id(),
		Rule: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{
			{
				Id:     jsii.String("expire-noncurrent-versions"),
				Status: jsii.String("Enabled"),
				Filter: wholeBucket,
				NoncurrentVersionExpiration: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration{{
					NoncurrentDays: jsii.Number(float64(cfg.NoncurrentVersionDays)),
				}},
			},
			{
				Id:     jsii.String("abort-incomplete-multipart-uploads"),
				Status: jsii.String("Enabled"),
				Filter: wholeBucket,
				AbortIncompleteMultipartUpload: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload{{
					DaysAfterInitiation: jsii.Number(abortMultipartUploadDays),
				}},
			},
		},
		Provider:  cfg.Provider,
		DependsOn: &[]cdktf.ITerraformDependable{versioning},
	})
}
