package data

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucket"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketlifecycleconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketownershipcontrols"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketpublicaccessblock"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketserversideencryptionconfiguration"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3bucketversioning"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/constructs/iampolicy"
)

// BackupTagKey and BackupTagValue mark the data stores that AWS Backup plans
// select: every bucket and database this package creates carries the tag,
// and other resources of an environment do not.
const (
	BackupTagKey   = "backup"
	BackupTagValue = "true"
)

// Defaults for BucketConfig.
const (
	DefaultNoncurrentVersionDays       = 90
	DefaultIntelligentTieringAfterDays = 30
)

// abortMultipartUploadDays is how long an unfinished multipart upload may
// keep its parts in the bucket. An upload still open after a week is taken
// as abandoned.
const abortMultipartUploadDays = 7

// transitionMinimumObjectSize stops lifecycle transitions of objects smaller
// than 128 KB. S3 Intelligent-Tiering never moves such objects out of its
// frequent access tier, so moving them would only add a transition request
// each. This is also the S3 default, set here so that the plan shows it.
const transitionMinimumObjectSize = "all_storage_classes_128K"

var (
	// bucketARNPattern matches an S3 bucket ARN and captures its partition
	// and bucket name.
	bucketARNPattern = regexp.MustCompile(`^arn:([a-z-]+):s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$`)
)

// BucketConfig configures NewBucket.
type BucketConfig struct {
	// Name is the bucket's globally unique name: 3 to 63 lowercase letters,
	// digits and hyphens. Dots are rejected. Required.
	Name string

	// KMSKeyARN is the customer-managed key that encrypts every object by
	// default. Its key policy must let S3 of Region use it. Required.
	KMSKeyARN *string

	// AccountID is the 12-digit ID of the account that owns the bucket.
	// Required.
	AccountID string

	// Region is the bucket's region, such as "us-west-2". Required.
	Region string

	// Partition is the AWS partition. Default: DefaultPartition.
	Partition string

	// NoncurrentVersionDays is how many days an overwritten or deleted
	// object version is kept before it expires. Default:
	// DefaultNoncurrentVersionDays.
	NoncurrentVersionDays int

	// IntelligentTieringAfterDays is the age, in days, at which current
	// objects move to the S3 Intelligent-Tiering storage class. Default:
	// DefaultIntelligentTieringAfterDays.
	IntelligentTieringAfterDays int

	// Replication copies every new object version to a bucket in another
	// region. Default: nil, which replicates nothing, for example for EU
	// data that must stay in the EU.
	Replication *Replication
}

// Replication configures the cross-region replication of a bucket.
type Replication struct {
	// DestinationBucketARN is the bucket that receives the replicas, usually
	// a token of the disaster-recovery region's stack. Its versioning must be
	// enabled. Required.
	DestinationBucketARN *string

	// DestinationKMSKeyARN is the data key of the destination region, which
	// encrypts the replicas. Its key policy must let S3 of
	// DestinationRegion use it. Required.
	DestinationKMSKeyARN *string

	// DestinationRegion is the destination bucket's region. It must differ
	// from the source region. Required.
	DestinationRegion string

	// TimeControl turns on S3 Replication Time Control, which replicates
	// most objects within seconds and all but a few within 15 minutes, and
	// publishes replication metrics. It is charged per GB replicated.
	// Default: false.
	TimeControl bool
}

// Bucket is a versioned, KMS-encrypted private S3 bucket for application
// data, optionally replicated to another region.
type Bucket struct {
	constructs.Construct

	// Name is the bucket's name.
	Name string

	// ARN is the bucket's ARN, known at synth time so that policies built
	// with encoding/json can name it.
	ARN *string

	// ID is the bucket resource's ID (its name), a token that makes
	// references wait for the bucket.
	ID *string

	// ReplicationRoleARN is the role that S3 assumes to replicate objects,
	// or nil without replication.
	ReplicationRoleARN *string
}

func (c BucketConfig) withDefaults() BucketConfig {
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	if c.NoncurrentVersionDays == 0 {
		c.NoncurrentVersionDays = DefaultNoncurrentVersionDays
	}
	if c.IntelligentTieringAfterDays == 0 {
		c.IntelligentTieringAfterDays = DefaultIntelligentTieringAfterDays
	}
	return c
}

// Validate returns every problem with the configuration, joined, or nil.
// NewBucket applies defaults first, so call it on a config with defaults
// when zero values should count as unset.
func (c BucketConfig) Validate() error {
	var errs []error
	// Dots are rejected although S3 allows them, because the bucket policy
	// admits TLS requests only and a dotted name breaks virtual-hosted-style
	// TLS.
	if err := awsid.BucketName("data: BucketConfig.Name", c.Name); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.KMSKeyARN("data: BucketConfig.KMSKeyARN", c.KMSKeyARN); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, validateAccount("BucketConfig", c.AccountID, c.Region, c.Partition)...)
	if c.NoncurrentVersionDays < 1 {
		errs = append(errs, fmt.Errorf("data: BucketConfig.NoncurrentVersionDays: %d is invalid; keep old object versions for at least 1 day", c.NoncurrentVersionDays))
	}
	if c.IntelligentTieringAfterDays < 1 {
		errs = append(errs, fmt.Errorf("data: BucketConfig.IntelligentTieringAfterDays: %d is invalid; use 1 day or more", c.IntelligentTieringAfterDays))
	}
	if c.Replication != nil {
		errs = append(errs, c.validateReplication()...)
	}
	return errors.Join(errs...)
}

// validateReplication checks c.Replication. Literal ARNs are checked for
// their form, partition and region, and tokens pass.
func (c BucketConfig) validateReplication() []error {
	r := c.Replication
	var errs []error

	switch {
	case awsid.Missing(r.DestinationBucketARN):
		errs = append(errs, errors.New("data: Replication.DestinationBucketARN is missing; pass the ARN of the bucket in the disaster-recovery region"))
	case !isToken(r.DestinationBucketARN):
		match := bucketARNPattern.FindStringSubmatch(*r.DestinationBucketARN)
		switch {
		case match == nil:
			errs = append(errs, fmt.Errorf("data: Replication.DestinationBucketARN: %q is not an S3 bucket ARN; use \"arn:%s:s3:::<bucket>\"", *r.DestinationBucketARN, c.Partition))
		case match[1] != c.Partition:
			errs = append(errs, fmt.Errorf("data: Replication.DestinationBucketARN: %q is in partition %q, not %q; replicate within the partition", *r.DestinationBucketARN, match[1], c.Partition))
		case match[2] == c.Name:
			errs = append(errs, fmt.Errorf("data: Replication.DestinationBucketARN: %q is the source bucket itself; pass the bucket in the disaster-recovery region", *r.DestinationBucketARN))
		}
	}

	if err := awsid.KMSKeyARN("data: Replication.DestinationKMSKeyARN", r.DestinationKMSKeyARN); err != nil {
		errs = append(errs, err)
	} else if !isToken(r.DestinationKMSKeyARN) {
		// A valid key ARN has the form arn:<partition>:kms:<region>:<account>:key/<id>.
		keyRegion := strings.Split(*r.DestinationKMSKeyARN, ":")[3]
		if keyRegion != r.DestinationRegion {
			errs = append(errs, fmt.Errorf("data: Replication.DestinationKMSKeyARN: %q is in region %q, not DestinationRegion %q; pass the data key of the destination region", *r.DestinationKMSKeyARN, keyRegion, r.DestinationRegion))
		}
	}

	if err := awsid.Region("data: Replication.DestinationRegion", r.DestinationRegion); err != nil {
		errs = append(errs, err)
	} else if r.DestinationRegion == c.Region {
		errs = append(errs, fmt.Errorf("data: Replication.DestinationRegion: %q is the bucket's own region; replicate to the disaster-recovery region, or leave Replication nil", r.DestinationRegion))
	}
	return errs
}

// NewBucket creates a data bucket with versioning and default SSE-KMS
// encryption with an S3 Bucket Key. All public access is blocked and ACLs
// are disabled (BucketOwnerEnforced). The bucket policy rejects non-TLS
// requests and uploads that ask for another encryption, and lifecycle rules
// tier and expire objects. With cfg.Replication, NewBucket also creates the
// replication role and the replication configuration. The bucket is protected by prevent_destroy and
// force_destroy is off, so Terraform never deletes it or its objects.
//
// NewBucket panics if cfg is invalid after defaults are applied.
func NewBucket(scope constructs.Construct, id string, cfg BucketConfig) *Bucket {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	arn := bucketARN(cfg.Partition, cfg.Name)

	c := constructs.NewConstruct(scope, jsii.String(id))

	bucket := s3bucket.NewS3Bucket(c, jsii.String("bucket"), &s3bucket.S3BucketConfig{
		Bucket:       jsii.String(cfg.Name),
		ForceDestroy: jsii.Bool(false),
		Tags:         &map[string]*string{"Name": jsii.String(cfg.Name), BackupTagKey: jsii.String(BackupTagValue)},
		Lifecycle:    &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	versioning := s3bucketversioning.NewS3BucketVersioningA(c, jsii.String("versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
		Bucket: bucket.Id(),
		VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{
			Status: jsii.String("Enabled"),
		},
	})

	s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(c, jsii.String("encryption"), &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
		Bucket: bucket.Id(),
		Rule: []*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{{
			ApplyServerSideEncryptionByDefault: &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA{
				SseAlgorithm:   jsii.String("aws:kms"),
				KmsMasterKeyId: cfg.KMSKeyARN,
			},
			// A bucket key cuts KMS requests, and so cost and throttling, by
			// reusing a data key across objects for a limited time.
			BucketKeyEnabled: jsii.Bool(true),
		}},
	})

	publicAccessBlock := s3bucketpublicaccessblock.NewS3BucketPublicAccessBlock(c, jsii.String("public_access_block"), &s3bucketpublicaccessblock.S3BucketPublicAccessBlockConfig{
		Bucket:                bucket.Id(),
		BlockPublicAcls:       jsii.Bool(true),
		BlockPublicPolicy:     jsii.Bool(true),
		IgnorePublicAcls:      jsii.Bool(true),
		RestrictPublicBuckets: jsii.Bool(true),
	})

	s3bucketownershipcontrols.NewS3BucketOwnershipControls(c, jsii.String("ownership_controls"), &s3bucketownershipcontrols.S3BucketOwnershipControlsConfig{
		Bucket: bucket.Id(),
		Rule: &s3bucketownershipcontrols.S3BucketOwnershipControlsRule{
			ObjectOwnership: jsii.String("BucketOwnerEnforced"),
		},
	})

	// S3 can fail concurrent changes to a bucket's policy and public access
	// block with OperationAborted, so the policy waits for the block.
	s3bucketpolicy.NewS3BucketPolicy(c, jsii.String("policy"), &s3bucketpolicy.S3BucketPolicyConfig{
		Bucket:    bucket.Id(),
		Policy:    jsii.String(bucketPolicy(arn).JSON()),
		DependsOn: &[]cdktf.ITerraformDependable{publicAccessBlock},
	})

	newLifecycle(c, bucket, versioning, cfg)

	result := &Bucket{
		Construct: c,
		Name:      cfg.Name,
		ARN:       jsii.String(arn),
		ID:        bucket.Id(),
	}
	if cfg.Replication != nil {
		result.ReplicationRoleARN = newReplication(c, bucket, versioning, cfg, arn)
	}
	return result
}

func bucketARN(partition, name string) string {
	return fmt.Sprintf("arn:%s:s3:::%s", partition, name)
}

// Statement IDs of the bucket policy.
const (
	sidDenyInsecureTransport = "DenyInsecureTransport"
	sidDenyOtherEncryption   = "DenyEncryptionOtherThanKMS"
)

// bucketPolicy returns the bucket policy. It only denies, because IAM
// policies grant access, and the denials apply to every principal.
func bucketPolicy(arn string) iampolicy.Document {
	everyone := map[string][]string{"AWS": {"*"}}
	objects := arn + "/*"
	return iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid:        sidDenyInsecureTransport,
			Effect:     "Deny",
			Principal:  everyone,
			Actions:    []string{"s3:*"},
			Resources:  []string{arn, objects},
			Conditions: map[string]map[string][]string{"Bool": {"aws:SecureTransport": {"false"}}},
		},
		{
			// An upload that sets the encryption header must ask for
			// SSE-KMS. Uploads without the header get the bucket's default
			// encryption, which is SSE-KMS with cfg.KMSKeyARN. Replication
			// writes replicas with s3:ReplicateObject, which this statement
			// does not cover.
			Sid:       sidDenyOtherEncryption,
			Effect:    "Deny",
			Principal: everyone,
			Actions:   []string{"s3:PutObject"},
			Resources: []string{objects},
			Conditions: map[string]map[string][]string{
				"StringNotEquals": {"s3:x-amz-server-side-encryption": {"aws:kms"}},
				"Null":            {"s3:x-amz-server-side-encryption": {"false"}},
			},
		},
	}}
}

// Lifecycle rule IDs.
const (
	ruleAbortMultipartUploads = "abort-incomplete-multipart-uploads"
	ruleExpireNoncurrent      = "expire-noncurrent-versions"
	ruleIntelligentTiering    = "transition-to-intelligent-tiering"
)

// newLifecycle creates the lifecycle rules. The configuration waits for
// versioning so that the noncurrent-version rule never meets a bucket
// without versioning.
func newLifecycle(scope constructs.Construct, bucket s3bucket.S3Bucket, versioning s3bucketversioning.S3BucketVersioningA, cfg BucketConfig) {
	wholeBucket := []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleFilter{{}}

	s3bucketlifecycleconfiguration.NewS3BucketLifecycleConfiguration(scope, jsii.String("lifecycle"), &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationConfig{
		Bucket:                             bucket.Id(),
		TransitionDefaultMinimumObjectSize: jsii.String(transitionMinimumObjectSize),
		Rule: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{
			{
				Id:     jsii.String(ruleAbortMultipartUploads),
				Status: jsii.String("Enabled"),
				Filter: wholeBucket,
				AbortIncompleteMultipartUpload: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload{{
					DaysAfterInitiation: jsii.Number(abortMultipartUploadDays),
				}},
			},
			{
				// Once its noncurrent versions have expired, a delete marker
				// hides nothing, so it is removed as well.
				Id:     jsii.String(ruleExpireNoncurrent),
				Status: jsii.String("Enabled"),
				Filter: wholeBucket,
				NoncurrentVersionExpiration: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration{{
					NoncurrentDays: jsii.Number(float64(cfg.NoncurrentVersionDays)),
				}},
				Expiration: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleExpiration{{
					ExpiredObjectDeleteMarker: jsii.Bool(true),
				}},
			},
			{
				Id:     jsii.String(ruleIntelligentTiering),
				Status: jsii.String("Enabled"),
				Filter: wholeBucket,
				Transition: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleTransition{{
					Days:         jsii.Number(float64(cfg.IntelligentTieringAfterDays)),
					StorageClass: jsii.String("INTELLIGENT_TIERING"),
				}},
			},
		},
		DependsOn: &[]cdktf.ITerraformDependable{versioning},
	})
}

// replicationRoleSuffix ends the replication role's name.
const replicationRoleSuffix = "-replication"

// maxRoleNameLength is the maximum length of an IAM role name.
const maxRoleNameLength = 64

// replicationRoleName returns "<bucket>-replication" when that fits the
// 64 characters of an IAM role name. Otherwise it cuts the bucket name short
// and adds the first 8 hex digits of its SHA-256, so that two long names
// sharing a prefix still get different roles.
func replicationRoleName(bucket string) string {
	name := bucket + replicationRoleSuffix
	if len(name) <= maxRoleNameLength {
		return name
	}
	sum := sha256.Sum256([]byte(bucket))
	hash := hex.EncodeToString(sum[:])[:8]
	keep := maxRoleNameLength - len(replicationRoleSuffix) - len(hash) - 1
	return bucket[:keep] + "-" + hash + replicationRoleSuffix
}
