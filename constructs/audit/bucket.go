package audit

import (
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

	"github.com/honeyhive/platform/constructs/iampolicy"
)

// abortMultipartUploadDays is how long an unfinished multipart upload may
// keep its parts. An upload still open after a week is taken as abandoned.
const abortMultipartUploadDays = 7

// Lifecycle rule IDs.
const (
	ruleExpireObjects         = "expire-objects"
	ruleExpireNoncurrent      = "expire-noncurrent-versions"
	ruleAbortMultipartUploads = "abort-incomplete-multipart-uploads"
)

// bucketConfig configures newBucket.
type bucketConfig struct {
	name          string
	encryption    *s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA
	policy        iampolicy.Document
	retentionDays int
}

// logBucket is a bucket created by newBucket and the policy that admits
// its writers, for resources that must wait for the policy.
type logBucket struct {
	bucket s3bucket.S3Bucket
	policy s3bucketpolicy.S3BucketPolicy
}

// newBucket creates a versioned, private, owner-enforced bucket for log
// objects with the given default encryption and policy. Resource IDs are
// id plus a suffix, such as "<id>_policy".
func newBucket(scope constructs.Construct, id string, cfg bucketConfig) logBucket {
	bucket := s3bucket.NewS3Bucket(scope, jsii.String(id), &s3bucket.S3BucketConfig{
		Bucket:       jsii.String(cfg.name),
		ForceDestroy: jsii.Bool(false),
		Tags:         &map[string]*string{"Name": jsii.String(cfg.name)},
		Lifecycle:    &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	versioning := s3bucketversioning.NewS3BucketVersioningA(scope, jsii.String(id+"_versioning"), &s3bucketversioning.S3BucketVersioningAConfig{
		Bucket: bucket.Id(),
		VersioningConfiguration: &s3bucketversioning.S3BucketVersioningVersioningConfiguration{
			Status: jsii.String("Enabled"),
		},
	})

	s3bucketserversideencryptionconfiguration.NewS3BucketServerSideEncryptionConfigurationA(scope, jsii.String(id+"_encryption"), &s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationAConfig{
		Bucket: bucket.Id(),
		Rule: []*s3bucketserversideencryptionconfiguration.S3BucketServerSideEncryptionConfigurationRuleA{{
			ApplyServerSideEncryptionByDefault: cfg.encryption,
			BucketKeyEnabled:                   jsii.Bool(false),
		}},
	})

	publicAccessBlock := s3bucketpublicaccessblock.NewS3BucketPublicAccessBlock(scope, jsii.String(id+"_public_access_block"), &s3bucketpublicaccessblock.S3BucketPublicAccessBlockConfig{
		Bucket:                bucket.Id(),
		BlockPublicAcls:       jsii.Bool(true),
		BlockPublicPolicy:     jsii.Bool(true),
		IgnorePublicAcls:      jsii.Bool(true),
		RestrictPublicBuckets: jsii.Bool(true),
	})

	// With ACLs disabled, the bucket owner owns every object, including the
	// log files that CloudTrail and S3 log delivery write.
	s3bucketownershipcontrols.NewS3BucketOwnershipControls(scope, jsii.String(id+"_ownership_controls"), &s3bucketownershipcontrols.S3BucketOwnershipControlsConfig{
		Bucket: bucket.Id(),
		Rule: &s3bucketownershipcontrols.S3BucketOwnershipControlsRule{
			ObjectOwnership: jsii.String("BucketOwnerEnforced"),
		},
	})

	// S3 can fail concurrent changes to a bucket's policy and public access
	// block with OperationAborted, so the policy waits for the block.
	policy := s3bucketpolicy.NewS3BucketPolicy(scope, jsii.String(id+"_policy"), &s3bucketpolicy.S3BucketPolicyConfig{
		Bucket:    bucket.Id(),
		Policy:    jsii.String(cfg.policy.JSON()),
		DependsOn: &[]cdktf.ITerraformDependable{publicAccessBlock},
	})

	newLifecycle(scope, id+"_lifecycle", bucket, versioning, cfg.retentionDays)

	return logBucket{bucket: bucket, policy: policy}
}

// newLifecycle expires current objects after retentionDays and their
// noncurrent versions noncurrentVersionDays later. Expiring a current
// object in a versioned bucket leaves a delete marker. The second rule
// removes it once no version remains behind it, because S3 rejects
// ExpiredObjectDeleteMarker in a rule that also sets Days. The
// configuration waits for versioning so that the noncurrent-version rule
// never meets a bucket without versioning.
func newLifecycle(scope constructs.Construct, id string, bucket s3bucket.S3Bucket, versioning s3bucketversioning.S3BucketVersioningA, retentionDays int) {
	wholeBucket := []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleFilter{{}}

	s3bucketlifecycleconfiguration.NewS3BucketLifecycleConfiguration(scope, jsii.String(id), &s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationConfig{
		Bucket: bucket.Id(),
		Rule: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRule{
			{
				Id:     jsii.String(ruleExpireObjects),
				Status: jsii.String("Enabled"),
				Filter: wholeBucket,
				Expiration: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleExpiration{{
					Days: jsii.Number(float64(retentionDays)),
				}},
			},
			{
				Id:     jsii.String(ruleExpireNoncurrent),
				Status: jsii.String("Enabled"),
				Filter: wholeBucket,
				NoncurrentVersionExpiration: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration{{
					NoncurrentDays: jsii.Number(noncurrentVersionDays),
				}},
				Expiration: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleExpiration{{
					ExpiredObjectDeleteMarker: jsii.Bool(true),
				}},
			},
			{
				Id:     jsii.String(ruleAbortMultipartUploads),
				Status: jsii.String("Enabled"),
				Filter: wholeBucket,
				AbortIncompleteMultipartUpload: []*s3bucketlifecycleconfiguration.S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload{{
					DaysAfterInitiation: jsii.Number(abortMultipartUploadDays),
				}},
			},
		},
		DependsOn: &[]cdktf.ITerraformDependable{versioning},
	})
}
